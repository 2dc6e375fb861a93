/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A sales rep opens the app and walks its main menus.
registry.category("web_tour.tours").add("crm_core_menu_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm_core.menu_crm_root"),
        {
            trigger: 'button[data-menu-xmlid="crm_core.menu_crm_customers"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="crm_core.menu_crm_customer_archive"]',
            run: "click",
        },
        {
            trigger: ".o_breadcrumb:contains(Customer Archive)",
        },
        {
            trigger: 'button[data-menu-xmlid="crm_core.menu_crm_sales"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="crm_core.menu_crm_opportunities"]',
            run: "click",
        },
        {
            trigger: ".o_kanban_renderer",
        },
        {
            trigger: ".o_main_navbar:not(:has(button[data-menu-xmlid='crm_core.menu_crm_config']))",
        },
    ],
});
