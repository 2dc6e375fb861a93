/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A sales rep turns an opportunity into a quotation, the quotation into a
// contract with a collection plan, and submits it for approval.
registry.category("web_tour.tours").add("crm_core_contract_rep_tour", {
    steps: () => [
        {
            trigger: 'button[name="action_sale_quotations_new"]',
            run: "click",
        },
        {
            content: "Add a product to the quotation",
            trigger: '.o_field_widget[name="order_line"] a:contains("Add a product")',
            run: "click",
        },
        {
            trigger: 'div[name="product_template_id"] input',
            run: "edit Tour Dome Camera",
        },
        {
            trigger: 'ul.ui-autocomplete a:contains("Tour Dome Camera")',
            run: "click",
        },
        {
            content: "The line is priced",
            trigger: '.o_field_widget[name="order_line"] .o_data_row td[name="price_subtotal"]:contains("1,200")',
        },
        ...stepUtils.saveForm(),
        {
            trigger: 'button[name="action_crm_create_contract"]',
            run: "click",
        },
        {
            content: "The contract comes from the quotation's opportunity",
            trigger: '.o_form_view .o_field_widget[name="lead_id"] input:value("Tour Opportunity")',
        },
        {
            trigger: '.o_notebook a.nav-link:contains("Collection / Payment Plan")',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="plan_line_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            trigger: '.o_field_widget[name="plan_line_ids"] .o_selected_row div[name="name"] input',
            run: "edit Deposit",
        },
        {
            trigger: '.o_field_widget[name="plan_line_ids"] .o_selected_row div[name="percentage"] input',
            run: "edit 100",
        },
        ...stepUtils.saveForm(),
        {
            trigger: 'button[name="action_submit"]',
            run: "click",
        },
        {
            content: "Waiting for approval",
            trigger: '.o_statusbar_status button[aria-checked="true"]:contains("To Approve")',
        },
    ],
});

// The department manager approves it from the list of contracts to approve;
// the collection plan is then followed.
registry.category("web_tour.tours").add("crm_core_contract_manager_tour", {
    steps: () => [
        {
            trigger: '.o_list_renderer tr:contains("Customer A1 Ltd") td[name="name"]',
            run: "click",
        },
        {
            trigger: 'button[name="validate_tier"]',
            run: "click",
        },
        {
            content: "Approved",
            trigger: '.o_statusbar_status button[aria-checked="true"]:contains("Approved")',
        },
        {
            trigger: '.o_notebook a.nav-link:contains("Collection / Payment Plan")',
            run: "click",
        },
        {
            content: "The instalment is planned",
            trigger: '.o_field_widget[name="plan_line_ids"] tr:contains("Deposit") td[name="state"]:contains("Planned")',
        },
    ],
});
