{
    "name": "Customer Management: Inventory",
    "summary": "Suppliers and purchase cost, stock in and out, transfers, stocktaking and goods lent to customers",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "CRM Bundle",
    "license": "AGPL-3",
    "installable": True,
    "depends": [
        "crm_core",
        "sale_stock",
        "purchase_stock",
    ],
    "data": [
        "security/crm_inventory_security.xml",
        "views/crm_inventory_menus.xml",
    ],
}
