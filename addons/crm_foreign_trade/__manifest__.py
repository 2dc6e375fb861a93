{
    "name": "Customer Management: Foreign Trade Edition",
    "summary": "Foreign-trade edition: customers, products and suppliers in one, order follow-up, quotation costing",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Bundle",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "crm_core",
        "crm_inventory",
    ],
    "data": [
        "security/crm_foreign_trade_security.xml",
        "views/crm_foreign_trade_menus.xml",
    ],
}
