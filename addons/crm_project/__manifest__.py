{
    "name": "Customer Management: Project Sales",
    "summary": "Long-cycle project selling: sales projects with customer, suppliers, milestones, team and budget",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Bundle",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "crm_core",
        "project",
        "purchase",
    ],
    "data": [
        "security/crm_project_security.xml",
        "views/crm_project_menus.xml",
    ],
}
