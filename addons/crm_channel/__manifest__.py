{
    "name": "Customer Management: Channels",
    "summary": "Distributors and dealers with levels and territories, and the customers under each channel",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Bundle",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "crm_core",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/crm_channel_level_data.xml",
        "views/crm_channel_level_views.xml",
        "views/res_partner_views.xml",
        "views/sale_report_views.xml",
        "views/crm_channel_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
}
