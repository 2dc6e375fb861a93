/** @odoo-module */

import { Component, markup, onWillStart, useState } from "@odoo/owl";
import { AnnouncementDialog } from "@announcement/js/announcement_dialog/announcement_dialog.esm";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const TARGET_LEVELS = {
    none: _t("Below base"),
    base: _t("Base reached"),
    stretch: _t("Stretch reached"),
    challenge: _t("Challenge reached"),
};

/**
 * The workbench (工作台): the home of a CRM user. One server call
 * (crm.workbench.get_data) gives every card; each card opens its records or
 * the list behind it, and the shortcuts bar is arranged by each user.
 */
export class CrmWorkbench extends Component {
    static template = "crm_core.Workbench";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.dialog = useService("dialog");
        this.announcementService = useService("announcementService");
        this.state = useState({ data: null, editing: false, adding: false, menus: [], menuId: "" });
        this.targetLevels = TARGET_LEVELS;
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("crm.workbench", "get_data", []);
    }

    /** Fewer lines per card on a phone: the cards stack. */
    get itemLimit() {
        return this.env.isSmall ? 3 : 5;
    }

    get cards() {
        const data = this.state.data;
        return [
            {
                section: "followups",
                title: _t("Follow-ups Due"),
                icon: "fa-phone",
                data: data.followups,
                dueDates: true,
                badges: this.dueBadges(data.followups),
                empty: _t("No customer to follow up today."),
            },
            {
                section: "activities",
                title: _t("My Activities"),
                icon: "fa-clock-o",
                data: data.activities,
                dueDates: true,
                badges: this.dueBadges(data.activities),
                empty: _t("No activity due today."),
            },
            {
                section: "approvals",
                title: _t("Pending Approvals"),
                icon: "fa-check-square-o",
                data: data.approvals,
                badges: [],
                empty: _t("No contract waiting for your approval."),
            },
            {
                section: "collections",
                title: _t("Overdue Collections"),
                icon: "fa-money",
                data: data.collections,
                dueDates: true,
                badges: [],
                empty: _t("No overdue instalment."),
            },
            {
                section: "claims",
                title: _t("Recent Claims"),
                icon: "fa-inbox",
                data: data.claims,
                badges: [],
                empty: _t("No customer claimed in the last %s days.", data.claims.days),
            },
            {
                section: "recycles",
                title: _t("Recycling Soon"),
                icon: "fa-recycle",
                data: data.recycles,
                badges: [],
                empty: _t("None of your customers is about to return to the pool."),
            },
            {
                section: "announcements",
                title: _t("Unread Announcements"),
                icon: "fa-bullhorn",
                data: data.announcements,
                badges: [],
                empty: _t("You have read every announcement."),
            },
        ];
    }

    dueBadges(section) {
        const badges = [];
        if (section.overdue) {
            badges.push({ label: _t("Overdue"), value: section.overdue, className: "text-bg-danger" });
        }
        if (section.today) {
            badges.push({ label: _t("Today"), value: section.today, className: "text-bg-warning" });
        }
        return badges;
    }

    isOverdue(card, item) {
        return card.dueDates && item.date && item.date < this.state.data.today;
    }

    formatItemDate(item) {
        return formatDate(deserializeDate(item.date));
    }

    formatAmount(item) {
        return formatMonetary(item.amount, { currencyId: item.currency_id });
    }

    targetWidth(target) {
        return `width: ${Math.max(0, Math.min(100, target.achievement))}%;`;
    }

    // ------------------------------------------------------------------
    // Cards
    // ------------------------------------------------------------------
    async openSection(section) {
        const action = await this.orm.call("crm.workbench", "action_open", [section]);
        await this.actionService.doAction(action);
    }

    async openItem(item) {
        if (item.model === "announcement") {
            return this.openAnnouncement(item);
        }
        await this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: item.model,
            res_id: item.id,
            views: [[false, "form"]],
        });
    }

    /** As the announcements' pop-up shows it, with its attachments. */
    async openAnnouncement(item) {
        const { data } = await this.orm.call("res.users", "get_announcements", []);
        const announcement = data.find((a) => a.id === item.id);
        if (!announcement) {
            // Read meanwhile, in another tab or from the pop-up.
            return this.load();
        }
        this.dialog.add(AnnouncementDialog, {
            title: announcement.name,
            body: markup(announcement.content || ""),
            confirmLabel: _t("Mark as read"),
            confirm: async () => {
                await this.orm.call("res.users", "mark_announcement_as_read", [announcement.id]);
                // The systray counter of the announcements follows at once.
                const shared = this.announcementService.announcements;
                if (shared.data) {
                    shared.data = shared.data.filter((a) => a.id !== announcement.id);
                    shared.count = shared.data.length;
                }
                await this.load();
            },
        });
    }

    // ------------------------------------------------------------------
    // Shortcuts (快速通道)
    // ------------------------------------------------------------------
    toggleEditing() {
        this.state.editing = !this.state.editing;
        this.state.adding = false;
    }

    async openShortcut(shortcut) {
        await this.actionService.doAction(shortcut.action_id, shortcut.create_new ? { viewType: "form" } : {});
    }

    async moveShortcut(shortcut, offset) {
        await this.orm.call("crm.workbench.shortcut", "action_move", [[shortcut.id], offset]);
        await this.load();
    }

    async removeShortcut(shortcut) {
        await this.orm.call("crm.workbench.shortcut", "action_remove", [[shortcut.id]]);
        await this.load();
    }

    /** The menus of the app the user may add, in a select: it works alike on a phone. */
    async startAdding() {
        this.state.menus = await this.orm.call("crm.workbench.shortcut", "crm_available_menus", []);
        this.state.menuId = "";
        this.state.adding = true;
    }

    async confirmAdding() {
        if (!this.state.menuId) {
            return;
        }
        await this.orm.create("crm.workbench.shortcut", [{ menu_id: parseInt(this.state.menuId) }]);
        this.state.adding = false;
        await this.load();
    }
}

registry.category("actions").add("crm_core.workbench", CrmWorkbench);
