/** @odoo-module */

import { registry } from "@web/core/registry";

// The department manager opens a new service ticket, chooses the engineer
// and dispatches it (派工).
registry.category("web_tour.tours").add("crm_core_service_dispatch_tour", {
    steps: () => [
        {
            content: "A new ticket",
            trigger: '.o_statusbar_status button[aria-checked="true"]:contains("New")',
        },
        {
            trigger: '.o_field_widget[name="engineer_id"] input',
            run: "edit Eng One",
        },
        {
            trigger: 'ul.ui-autocomplete a:contains("Eng One")',
            run: "click",
        },
        {
            trigger: 'button[name="action_dispatch"]',
            run: "click",
        },
        {
            content: "Dispatched",
            trigger: '.o_statusbar_status button[aria-checked="true"]:contains("Dispatched")',
        },
        {
            content: "The work report page opens for the engineer",
            trigger: '.o_notebook a.nav-link:contains("Work Report")',
        },
    ],
});
