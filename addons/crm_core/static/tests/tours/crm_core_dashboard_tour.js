/** @odoo-module */

import { registry } from "@web/core/registry";

// A department manager opens their spreadsheet dashboard: the pivots and
// charts load through their record rules without an error.
registry.category("web_tour.tours").add("crm_core_dashboard_tour", {
    steps: () => [
        {
            trigger: '.o_search_panel_category_value:contains("Department Overview")',
            run: "click",
        },
        {
            trigger: '.o_search_panel_category_value.active:contains("Department Overview")',
        },
        {
            content: "The dashboard's charts are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas",
        },
        {
            content: "The scorecards show their values",
            trigger: ".o_spreadsheet_dashboard_action .o-figure .o-scorecard",
        },
    ],
});
