{
    "name": "Customer Management (CRM Core)",
    "summary": "Customer archive, lead pool, follow-ups, contracts and "
    "the rep / department manager / general manager hierarchy for Chinese SMEs",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "CRM Bundle",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "external_dependencies": {"python": ["cn2an", "num2words", "phonenumbers", "xlrd"]},
    "depends": [
        "crm",
        "sale_management",
        "account",
        "base_automation",
        "phone_validation",
        "mass_mailing",
        "sms",
        "calendar",
        "hr_expense",
    ],
    "data": [
        "security/crm_core_security.xml",
        "views/crm_core_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_core/static/tests/tours/*.js",
        ],
    },
}
