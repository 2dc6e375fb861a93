/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const card = (section) => `.o_crm_workbench_card[data-section='${section}']`;
const bar = ".o_crm_workbench_shortcut_bar";
const onDesktop = (steps) => steps.map((step) => ({ ...step, isActive: [...(step.isActive || []), "desktop"] }));

// A department manager's workbench (tests/test_workbench.py): the cards of
// their day, an announcement read, the shortcuts arranged, two lists opened
// and left. On a desktop the app is opened from the apps menu; on a phone
// the tour starts at the workbench's address.
registry.category("web_tour.tours").add("crm_core_workbench_tour", {
    steps: () => [
        {
            content: "The login pop-up shows the first unread announcement: closed, it stays unread",
            trigger: ".modal:contains('Workbench Tour: Safety Week') .modal-header button[aria-label='Close']",
            run: "click",
        },
        ...onDesktop(stepUtils.goToAppSteps("crm_core.menu_crm_root", "Open Customer Management")),
        {
            content: "A phone gets the small layout: the cards stack",
            isActive: ["mobile"],
            trigger: ".o_crm_workbench.o_crm_workbench_small",
        },
        {
            content: "The app opens on the workbench",
            isActive: ["desktop"],
            trigger: ".o_crm_workbench:not(.o_crm_workbench_small)",
        },
        {
            trigger: `${card("followups")} .badge:contains('Overdue: 1')`,
        },
        {
            trigger: `${card("followups")} .o_crm_workbench_item:contains('Tour Overdue Customer') .text-danger`,
        },
        {
            trigger: `${card("activities")} .o_crm_workbench_item:contains('Call back about the quote')`,
        },
        {
            trigger: `${card("approvals")} .o_crm_workbench_item:contains('Warehouse cameras for Jiading')`,
        },
        {
            trigger: `${card("collections")} .o_crm_workbench_item:contains('Tour Office Cameras')`,
        },
        {
            trigger: `${card("claims")} .o_crm_workbench_item:contains('Tour Claimed Customer')`,
        },
        {
            trigger: `${card("recycles")} .o_crm_workbench_item:contains('Tour Quiet Customer')`,
        },
        // Announcements: one read from its card.
        {
            trigger: `${card("announcements")} .o_crm_workbench_count:contains(2)`,
        },
        {
            trigger: `${card("announcements")} .o_crm_workbench_item:contains('Workbench Tour: Safety Week')`,
            run: "click",
        },
        {
            trigger: ".modal:contains('Check the ladders') .modal-footer button:contains('Mark as read')",
            run: "click",
        },
        {
            trigger: `${card("announcements")}:not(:has(.o_crm_workbench_item:contains('Safety Week'))) .o_crm_workbench_count:contains(1)`,
        },
        // Shortcuts (快速通道): Lead Pool first, Public Search removed, Announcements added.
        {
            trigger: ".o_crm_workbench_shortcuts_arrange",
            run: "click",
        },
        {
            trigger: `${bar} .o_crm_workbench_shortcut:contains('Lead Pool') .o_crm_workbench_shortcut_earlier`,
            run: "click",
        },
        {
            trigger: `${bar} > .o_crm_workbench_shortcut:nth-child(2):contains('Lead Pool') .o_crm_workbench_shortcut_earlier`,
            run: "click",
        },
        {
            trigger: `${bar} > .o_crm_workbench_shortcut:first-child:contains('Lead Pool')`,
        },
        {
            trigger: `${bar} .o_crm_workbench_shortcut:contains('Public Search') .o_crm_workbench_shortcut_remove`,
            run: "click",
        },
        {
            trigger: `${bar}:not(:has(.o_crm_workbench_shortcut:contains('Public Search')))`,
        },
        {
            trigger: ".o_crm_workbench_shortcut_add",
            run: "click",
        },
        {
            trigger: "select.o_crm_workbench_shortcut_menu:has(option:contains('Customers / Lead Pool'))",
            run: "selectByLabel Announcements",
        },
        {
            trigger: ".o_crm_workbench_shortcut_confirm:enabled",
            run: "click",
        },
        {
            trigger: `${bar} > .o_crm_workbench_shortcut:last-of-type:contains('Announcements')`,
        },
        {
            trigger: ".o_crm_workbench_shortcuts_arrange:contains('Done')",
            run: "click",
        },
        // A shortcut opens a new customer's form; back to the workbench.
        {
            trigger: `${bar} .o_crm_workbench_shortcut:contains('New Customer') .o_crm_workbench_shortcut_open`,
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name]",
        },
        {
            trigger: ".o_back_button",
            run: "click",
        },
        // "View all" opens the contracts waiting for approval; back again.
        {
            trigger: `${card("approvals")} .o_crm_workbench_view_all`,
            run: "click",
        },
        {
            trigger: ".o_content:contains('Warehouse cameras for Jiading')",
        },
        {
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "The workbench again, with the announcement left to read",
            trigger: `${card("announcements")} .o_crm_workbench_item:contains('Workbench Tour: East Campaign')`,
        },
    ],
});
