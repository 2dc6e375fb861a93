from odoo import api, models


class ReportCrmContract(models.AbstractModel):
    _name = "report.crm_core.report_crm_contract"
    _description = "Contract Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        contracts = self.env["crm.contract"].browse(docids)
        # A plain access error up front, rather than one raised from inside the template.
        contracts.check_access("read")
        return {"doc_ids": docids, "doc_model": "crm.contract", "docs": contracts, "data": data}
