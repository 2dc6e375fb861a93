{
    "name": "Customer Management: Security Industry Edition",
    "summary": "Security-industry edition: installation projects, equipment, engineering team, inventory and finance",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Bundle",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "crm_project",
        "crm_inventory",
        "hr",
    ],
    "data": [
        "security/crm_security_vertical_security.xml",
        "views/crm_security_vertical_menus.xml",
    ],
}
