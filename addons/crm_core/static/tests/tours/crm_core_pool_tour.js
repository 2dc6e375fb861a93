/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A sales rep claims a customer from the pool, then finds it among their own.
registry.category("web_tour.tours").add("crm_core_pool_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm_core.menu_crm_root"),
        {
            trigger: 'button[data-menu-xmlid="crm_core.menu_crm_customers"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="crm_core.menu_crm_pool"]',
            run: "click",
        },
        {
            trigger: '.o_list_renderer tr:contains("Tour Pool Customer") td.o_list_record_selector input[type="checkbox"]',
            run: "click",
        },
        {
            trigger: 'button[name="action_claim"]',
            run: "click",
        },
        {
            trigger: '.o_content:not(:has(tr:contains("Tour Pool Customer")))',
        },
        {
            trigger: 'button[data-menu-xmlid="crm_core.menu_crm_customers"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="crm_core.menu_crm_customer_archive"]',
            run: "click",
        },
        {
            trigger: '.o_list_renderer tr:contains("Tour Pool Customer") td[name="complete_name"]',
            run: "click",
        },
        {
            trigger: 'button:contains("Release to Pool")',
        },
    ],
});
