import os
import time

import psutil

from odoo import api, fields, models, release
from odoo.tools import SQL, config, format_duration, human_size


class CrmServerStatus(models.TransientModel):
    """The server status page (系统监控) for administrators: the machine,
    this Odoo server, the database and the scheduled jobs, read when the
    page opens or is refreshed. psutil is one of Odoo's own requirements."""

    _name = "crm.server.status"
    _description = "Server Status"

    checked_at = fields.Datetime(string="Checked At", compute="_compute_status")
    version = fields.Char(string="Odoo Version", compute="_compute_status")
    uptime = fields.Char(string="Server Uptime", compute="_compute_status")
    cpu_count = fields.Integer(string="CPU Cores", compute="_compute_status")
    cpu_percent = fields.Float(string="CPU Use (%)", compute="_compute_status", digits=(5, 1))
    load_average = fields.Char(string="Load Average (1, 5, 15 min)", compute="_compute_status")
    memory_total = fields.Char(string="Memory", compute="_compute_status")
    memory_percent = fields.Float(string="Memory Use (%)", compute="_compute_status", digits=(5, 1))
    process_memory = fields.Char(string="This Server Process", compute="_compute_status")
    disk_total = fields.Char(string="Disk (data directory)", compute="_compute_status")
    disk_free = fields.Char(string="Disk Free", compute="_compute_status")
    disk_percent = fields.Float(string="Disk Use (%)", compute="_compute_status", digits=(5, 1))
    database_name = fields.Char(string="Database", compute="_compute_status")
    database_size = fields.Char(string="Database Size", compute="_compute_status")
    database_connections = fields.Integer(string="Database Connections", compute="_compute_status")
    workers = fields.Integer(string="HTTP Workers", compute="_compute_status", help="0: one multi-threaded process.")
    cron_workers = fields.Integer(string="Scheduled-Job Workers", compute="_compute_status")
    users_online = fields.Integer(string="Users Online", compute="_compute_status")
    cron_late_count = fields.Integer(string="Jobs Behind Schedule", compute="_compute_status")
    cron_late_ids = fields.Many2many("ir.cron", string="Late Jobs", compute="_compute_status")
    cron_trigger_count = fields.Integer(string="Jobs Triggered, Waiting", compute="_compute_status")

    @api.depends_context("uid")
    def _compute_status(self):
        now = fields.Datetime.now()
        process = psutil.Process()
        memory = psutil.virtual_memory()
        disk = psutil.disk_usage(config["data_dir"] if os.path.isdir(config["data_dir"]) else "/")
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_database_size(current_database()), "
                       "(SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())"))  # fmt: skip
        database_size, connections = cr.fetchone()
        # sudo: the jobs are configuration the administrator reads anyway; the
        # page itself is for administrators only (security/ir.model.access.csv).
        Cron = self.env["ir.cron"].sudo()
        late = Cron.search([("active", "=", True), ("nextcall", "<", now)], order="nextcall")
        triggers = self.env["ir.cron.trigger"].sudo().search_count([("call_at", "<=", now)])
        _minutes, online_window = self.env["res.users"]._crm_session_limit()
        values = {
            "checked_at": now,
            "version": release.version,
            "uptime": format_duration((time.time() - process.create_time()) / 3600.0) + " h",
            "cpu_count": psutil.cpu_count() or 0,
            "cpu_percent": psutil.cpu_percent(interval=0.1),
            "load_average": ", ".join(f"{load:.2f}" for load in os.getloadavg()),
            "memory_total": human_size(memory.total),
            "memory_percent": memory.percent,
            "process_memory": human_size(process.memory_info().rss),
            "disk_total": human_size(disk.total),
            "disk_free": human_size(disk.free),
            "disk_percent": disk.percent,
            "database_name": cr.dbname,
            "database_size": human_size(database_size),
            "database_connections": connections,
            "workers": config["workers"] or 0,
            "cron_workers": config["max_cron_threads"] or 0,
            "users_online": len(self.env["res.users"]._crm_online_user_ids(online_window)),
            "cron_late_count": len(late),
            "cron_late_ids": late,
            "cron_trigger_count": triggers,
        }
        for status in self:
            status.update(values)

    def action_refresh(self):
        return self.env["ir.actions.act_window"]._for_xml_id("crm_core.crm_server_status_action")
