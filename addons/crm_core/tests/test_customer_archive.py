from odoo.tests import Form, tagged

from .common import CrmHierarchyCommon


@tagged("crm_core")
class TestCustomerArchive(CrmHierarchyCommon):
    def test_phones_are_normalised_to_e164(self):
        partner = self.env["res.partner"].create({
            "name": "Shenzhen Phone Test Co", "crm_managed": True, "country_id": self.env.ref("base.cn").id,
            "phone": "0755-8602 3300", "mobile": "139 2288 6677",
        })  # fmt: skip
        self.assertEqual(partner.crm_phone_e164, "+8675586023300")
        self.assertEqual(partner.crm_mobile_e164, "+8613922886677")
        partner.mobile = "not a number"
        self.assertFalse(partner.crm_mobile_e164)

    def test_region_follows_the_province(self):
        partner = self.env["res.partner"].create({
            "name": "Hangzhou Region Test Co", "crm_managed": True,
            "country_id": self.env.ref("base.cn").id, "state_id": self.env.ref("base.state_cn_ZJ").id,
        })  # fmt: skip
        self.assertEqual(partner.crm_region_id, self.env.ref("crm_core.region_east"))
        partner.state_id = self.env.ref("base.state_cn_GD")
        self.assertEqual(partner.crm_region_id, self.env.ref("crm_core.region_south"))

    def test_lead_conversion_creates_an_archive_customer(self):
        lead = self.env["crm.lead"].with_user(self.rep_a).create({
            "name": "Cameras for a new mall", "partner_name": "Nanjing Mall Management Co",
            "mobile": "+86 137 7000 1234",
        })  # fmt: skip
        lead.with_user(self.rep_a).convert_opportunity(lead._create_customer())
        customer = lead.partner_id
        self.assertTrue(customer.crm_managed)
        self.assertEqual(customer.user_id, self.rep_a)
        self.assertIn(customer, self.managed(self.rep_a))

    def test_form_as_a_rep(self):
        action = self.env.ref("crm_core.res_partner_action_crm_customer")
        form = Form(self.env["res.partner"].with_user(self.rep_a).with_context(**dict(eval(action.context))))
        form.name = "广州白云安防工程有限公司"
        form.crm_grade_id = self.env.ref("crm_core.customer_grade_b")
        partner = form.save()
        self.assertTrue(partner.crm_managed)
        self.assertEqual(partner.user_id, self.rep_a)
        self.assertEqual(partner.crm_status, "prospect")
