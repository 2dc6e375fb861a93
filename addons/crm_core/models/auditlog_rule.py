from odoo import models

AUDITED_METHODS = ("create", "read", "write", "unlink", "export_data")


class AuditlogRule(models.Model):
    _inherit = "auditlog.rule"

    def _unregister_hook(self):
        """Let the operation log patch the models again, with fresh field data.

        Odoo sets the registry up again, and reinstalls every registry hook,
        whenever a custom field is added or removed or an automation rule
        changes. base_automation's _unregister_hook then deletes the patched
        create/write/unlink of every model, the operation log's included, and
        auditlog, still finding its markers, would not patch them again: the
        log would stop in that process. Its cache of field data would also
        keep the ids of removed fields, which a field added again under the
        same name would then write into its log lines.
        """
        super()._unregister_hook()
        for model_class in self.env.registry.values():
            for method in AUDITED_METHODS:
                marker = f"auditlog_ruled_{method}"
                if marker not in vars(model_class):
                    continue
                patched = vars(model_class).get(method)
                if patched is not None and hasattr(patched, "origin"):
                    delattr(model_class, method)
                delattr(model_class, marker)
        self.pool._auditlog_field_cache = {}
