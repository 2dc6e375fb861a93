import re
from collections import defaultdict

from lxml import etree
from lxml.builder import E

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

FIELD_TYPES = [
    ("char", "Text"),
    ("integer", "Integer"),
    ("float", "Decimal"),
    ("date", "Date"),
    ("selection", "Selection"),
    ("many2one", "Link to a Record"),
]
TARGET_SELECTION = [
    ("customer", "Customers"),
    ("lead", "Leads and Opportunities"),
    ("product", "Products"),
    ("contract", "Contracts"),
]
LEAD_TYPES = [("both", "Leads and Opportunities"), ("lead", "Leads Only"), ("opportunity", "Opportunities Only")]
FORM_POSITIONS = [("main", "Main Information"), ("details", "Details"), ("page", "Custom Fields Tab")]
LIST_DISPLAYS = [
    ("none", "Not Shown"),
    ("hide", "Optional Column, Hidden"),
    ("show", "Optional Column, Shown"),
]
LIST_POSITIONS = [("name", "After the Name"), ("end", "At the End")]

# Where the fields of each target go. A target has one variant per kind of
# record its form shows apart (leads and opportunities share crm.lead and its
# form, in different sections). Per variant: the view expression under which
# the field applies, and per view type the view to inherit and the anchor. The
# "page" anchors are empty groups on hidden tabs of crm_custom_field_views.xml,
# which the first field placed there reveals.
TARGETS = {
    "customer": {
        "model": "res.partner",
        "variants": {
            "customer": {
                # The partner form also shows vendors and contact persons.
                "condition": "crm_managed",
                "form": {
                    "main": ("base.view_partner_form", "//field[@name='category_id']/..", "inside"),
                    "details": (
                        "crm_core.res_partner_view_form_crm",
                        "//group[@name='crm_classification']",
                        "inside",
                    ),
                    "page": ("crm_core.res_partner_view_form_crm_custom", "//group[@name='crm_custom_fields']", "inside"),
                },
                "page": "//page[@name='crm_custom_fields']",
                "list": ("crm_core.res_partner_view_list_crm", "//field[@name='complete_name']"),
                "search": "base.view_res_partner_filter",
            },
        },
    },
    "lead": {
        "model": "crm.lead",
        "variants": {
            "lead": {
                "condition": "type == 'lead'",
                "form": {
                    "main": ("crm.crm_lead_view_form", "//group[@name='lead_info']", "inside"),
                    "details": ("crm.crm_lead_view_form", "//page[@name='extra']//group[@name='categorization']", "inside"),
                    "page": ("crm_core.crm_lead_view_form_custom", "//group[@name='crm_custom_fields_lead']", "inside"),
                },
                "page": "//page[@name='crm_custom_fields_lead']",
                "list": ("crm.crm_case_tree_view_leads", "//field[@name='name']"),
                "search": "crm.view_crm_case_leads_filter",
            },
            "opportunity": {
                "condition": "type == 'opportunity'",
                "form": {
                    "main": ("crm.crm_lead_view_form", "//group[@name='opportunity_partner']", "inside"),
                    "details": ("crm.crm_lead_view_form", "//page[@name='lead']//group[@name='Misc']", "inside"),
                    "page": (
                        "crm_core.crm_lead_view_form_custom",
                        "//group[@name='crm_custom_fields_opportunity']",
                        "inside",
                    ),
                },
                "page": "//page[@name='crm_custom_fields_opportunity']",
                "list": ("crm.crm_case_tree_view_oppor", "//field[@name='name']"),
                "search": "crm.view_crm_case_opportunities_filter",
            },
        },
    },
    "product": {
        "model": "product.template",
        "variants": {
            "product": {
                "condition": None,
                "form": {
                    "main": ("product.product_template_form_view", "//group[@name='group_general']", "inside"),
                    "details": ("product.product_template_form_view", "//group[@name='group_standard_price']", "inside"),
                    "page": (
                        "crm_core.product_template_view_form_custom",
                        "//group[@name='crm_custom_fields']",
                        "inside",
                    ),
                },
                "page": "//page[@name='crm_custom_fields']",
                "list": ("product.product_template_tree_view", "//field[@name='name']"),
                "search": "product.product_template_search_view",
            },
        },
    },
    "contract": {
        "model": "crm.contract",
        "variants": {
            "contract": {
                "condition": None,
                "form": {
                    "main": ("crm_core.crm_contract_view_form", "//group[@name='parties']", "inside"),
                    "details": ("crm_core.crm_contract_view_form", "//group[@name='amounts']", "inside"),
                    "page": ("crm_core.crm_contract_view_form_custom", "//group[@name='crm_custom_fields']", "inside"),
                },
                "page": "//page[@name='crm_custom_fields']",
                "list": ("crm_core.crm_contract_view_list", "//field[@name='title']"),
                "search": "crm_core.crm_contract_view_search",
            },
        },
    },
}

# Models a link may not point to: technical ones, which reps cannot read and
# which make no sense on a customer or a contract.
INTERNAL_MODEL_PREFIXES = (
    "ir.", "base", "bus.", "res.config", "res.device", "res.users.", "res.groups", "auditlog.",
    "web_", "report.", "digest.", "iap.", "mail.", "crm.custom.field", "_unknown",
)  # fmt: skip
TECHNICAL_NAME = re.compile(r"^x_[a-z0-9_]+$")
# Properties that shape the database column: fixed once the field exists.
FROZEN_FIELDS = ("technical_name", "target", "field_type", "relation_model_id", "translate_values")
# Properties shown by the generated views: changing one rebuilds them.
VIEW_FIELDS = ("form_position", "list_display", "list_position", "searchable", "required", "sequence", "lead_type", "active")


def _slug(text):
    """The ASCII letters and digits of ``text``, lowercase, joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", (text or "").lower()).strip("_")[:40].strip("_")


class CrmCustomField(models.Model):
    """A field an administrator adds to customers, leads and opportunities,
    products or contracts without code (自定义字段).

    Applying it creates an Odoo custom field (ir.model.fields, state manual,
    named x_…), a real column that searches, exports and imports like any
    other, and inherited views placing it in the bundle's forms, lists and
    search views. Removing it drops the views, then the field and its column.
    """

    _name = "crm.custom.field"
    _description = "Custom Field"
    _inherit = ["crm.input.mixin"]
    _order = "target, sequence, id"

    name = fields.Char(string="Label", required=True, translate=True)
    technical_name = fields.Char(
        compute="_compute_technical_name", store=True, readonly=False, precompute=True, required=True, copy=False,
        help="Name of the database column, fixed once the field is applied: x_ then lowercase letters, "
        "digits and underscores.",
    )  # fmt: skip
    target = fields.Selection(TARGET_SELECTION, string="Add To", required=True, default="customer")
    model_name = fields.Char(string="Model", compute="_compute_model_name", store=True, precompute=True)
    lead_type = fields.Selection(
        LEAD_TYPES, string="Show On", required=True, default="both",
        help="Leads and opportunities share one field; this chooses the forms, lists and searches it appears in.",
    )  # fmt: skip
    field_type = fields.Selection(FIELD_TYPES, string="Type", required=True, default="char")
    option_ids = fields.One2many("crm.custom.field.option", "custom_field_id", string="Options", copy=True)
    relation_model_id = fields.Many2one(
        "ir.model", string="Linked Model", ondelete="set null", domain=lambda self: self._relation_model_domain(),
        help="The kind of record the field links to.",
    )  # fmt: skip
    translate_values = fields.Boolean(help="Text fields only: the value may be entered in each language.")
    required = fields.Boolean(
        string="Required in Forms",
        help="The forms ask for a value before saving. Existing records, imports and the API are not forced: "
        "the field starts empty on every existing record.",
    )
    help = fields.Text(string="Tooltip", translate=True)
    sequence = fields.Integer(default=10, help="Order of the custom fields placed at the same spot.")
    form_position = fields.Selection(FORM_POSITIONS, string="In Forms", required=True, default="page")
    form_position_info = fields.Char(string="Place", compute="_compute_form_position_info")
    list_display = fields.Selection(LIST_DISPLAYS, string="In Lists", required=True, default="hide")
    list_position = fields.Selection(LIST_POSITIONS, string="Column", required=True, default="end")
    searchable = fields.Boolean(default=True, help="Offered in the search bar of the lists.")
    field_id = fields.Many2one("ir.model.fields", string="Odoo Field", readonly=True, copy=False, ondelete="set null")
    view_ids = fields.Many2many(
        "ir.ui.view", "crm_custom_field_view_rel", "custom_field_id", "view_id", string="Views",
        readonly=True, copy=False,
    )  # fmt: skip
    state = fields.Selection(
        [("draft", "Draft"), ("applied", "Applied")], default="draft", required=True, readonly=True, copy=False
    )
    active = fields.Boolean(default=True, help="Archived: hidden from forms, lists and searches; the values are kept.")

    # ------------------------------------------------------------------
    # Defaults, computes
    # ------------------------------------------------------------------
    @api.model
    def _relation_model_domain(self):
        domain = [("transient", "=", False), ("model", "not like", "mixin")]
        for prefix in INTERNAL_MODEL_PREFIXES:
            domain += ["!", ("model", "=like", f"{prefix}%")]
        return domain

    @api.depends("target")
    def _compute_model_name(self):
        for rec in self:
            rec.model_name = TARGETS[rec.target]["model"] if rec.target else False

    @api.depends("name", "target")
    def _compute_technical_name(self):
        """x_crm_ and the label's ASCII letters (x_crm_field for a label
        without any), numbered when taken on the model."""
        taken = defaultdict(set)
        others = self.with_context(active_test=False).search([("id", "not in", self._origin.ids)])
        for other in others:
            taken[other.model_name].add(other.technical_name)
        for model_name in {TARGETS[target]["model"] for target in set(self.mapped("target")) if target}:
            for descendant in self.env.registry.descendants([model_name], "_inherits"):
                taken[model_name].update(self.env[descendant]._fields)
        for rec in self:
            if rec.state == "applied" or not rec.target:
                rec.technical_name = rec.technical_name
                continue
            names = taken[TARGETS[rec.target]["model"]]
            slug = _slug(rec.name)
            base = f"x_crm_{slug or 'field'}"
            candidate = base if slug and base not in names else None
            number = 1 if not slug else 2
            while candidate is None:
                if f"{base}_{number}" not in names:
                    candidate = f"{base}_{number}"
                number += 1
            names.add(candidate)
            rec.technical_name = candidate

    @api.depends("target", "lead_type", "form_position")
    def _compute_form_position_info(self):
        env = self.env
        places = {
            "customer": {
                "main": env._("Customer form, contact block, after Tags"),
                "details": env._("Customer form, Customer Archive tab, Classification"),
            },
            "lead": {
                "main": env._("Lead form: contact block; opportunity form: below the customer"),
                "details": env._(
                    "Lead form: Extra Info tab, Marketing; opportunity form: Extra Information tab, Tracking"
                ),
            },
            "product": {
                "main": env._("Product form, General Information tab, left column"),
                "details": env._("Product form, General Information tab, below the category"),
            },
            "contract": {
                "main": env._("Contract form, with the parties"),
                "details": env._("Contract form, with the amounts"),
            },
        }
        for rec in self:
            if rec.form_position == "page":
                rec.form_position_info = env._("A Custom Fields tab, shown once a field is placed on it")
            else:
                rec.form_position_info = places.get(rec.target, {}).get(rec.form_position, False)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("technical_name", "target")
    def _check_technical_name(self):
        for rec in self:
            name = rec.technical_name
            if not TECHNICAL_NAME.match(name) or len(name) > 63:
                raise ValidationError(self.env._(
                    "The technical name “%(name)s” of the custom field %(label)s must start with x_ and contain "
                    "only lowercase letters, digits and underscores (63 characters at most).",
                    name=name, label=rec.name,
                ))  # fmt: skip
        counts = self.with_context(active_test=False)._read_group(
            [("technical_name", "in", self.mapped("technical_name"))], ["model_name", "technical_name"], ["__count"]
        )
        for model_name, name, count in counts:
            if count > 1:
                raise ValidationError(self.env._(
                    "Another custom field of %(model)s is already named %(name)s.", model=model_name, name=name,
                ))  # fmt: skip
        # A draft's name may not exist yet on the model, nor on the models
        # inheriting its fields (users carry every customer field).
        drafts = self.filtered(lambda r: r.state == "draft")
        for rec in drafts:
            for model_name in self.env.registry.descendants([rec.model_name], "_inherits"):
                if rec.technical_name in self.env[model_name]._fields:
                    raise ValidationError(self.env._(
                        "%(model)s already has a field named %(name)s: choose another technical name for %(label)s.",
                        model=model_name, name=rec.technical_name, label=rec.name,
                    ))  # fmt: skip
        # Custom fields in the database that the registry could not load.
        if drafts:
            clash = self.env["ir.model.fields"].search_fetch(
                [("name", "in", drafts.mapped("technical_name")), ("model", "in", drafts.mapped("model_name"))],
                ["model", "name"], limit=1,
            )  # fmt: skip
            if clash:
                raise ValidationError(self.env._(
                    "%(model)s already has a field named %(name)s.", model=clash.model, name=clash.name
                ))  # fmt: skip

    @api.constrains("name", "target")
    def _check_label(self):
        """Imports match columns by label, and so do people reading exports
        and filters: a label names one field of its model."""
        others = self.with_context(active_test=False).search(
            [("model_name", "in", self.mapped("model_name")), ("id", "not in", self.ids)]
        )
        for rec in self:
            label = (rec.with_context(lang="en_US").name or "").strip().lower()
            strings = {
                field.name: field.string
                for model_name in self.env.registry.descendants([rec.model_name], "_inherits")
                for field in self.env[model_name]._fields.values()
            }
            strings.update({
                other.technical_name: other.with_context(lang="en_US").name
                for other in others.filtered(lambda o: o.model_name == rec.model_name)
            })  # fmt: skip
            strings.pop(rec.technical_name, None)
            clash = next((fname for fname, string in strings.items() if (string or "").strip().lower() == label), None)
            if clash:
                raise ValidationError(self.env._(
                    "%(model)s already has a field labelled “%(label)s” (%(field)s): choose another label.",
                    model=rec.model_name, label=rec.name, field=clash,
                ))  # fmt: skip

    @api.constrains("field_type", "option_ids")
    def _check_options(self):
        for rec in self.filtered(lambda r: r.field_type == "selection" and not r.option_ids):
            raise ValidationError(self.env._("Add at least one option to the selection field %(label)s.", label=rec.name))

    @api.constrains("field_type", "relation_model_id")
    def _check_relation_model(self):
        for rec in self.filtered(lambda r: r.field_type == "many2one"):
            model_name = rec.relation_model_id.model
            if not model_name:
                raise ValidationError(self.env._("Choose the kind of record the field %(label)s links to.", label=rec.name))
            model = self.env.registry.get(model_name)
            if (
                model is None or model._transient or model._abstract
                or model_name.startswith(INTERNAL_MODEL_PREFIXES)
            ):  # fmt: skip
                raise ValidationError(self.env._(
                    "The field %(label)s cannot link to %(model)s, a technical model.",
                    label=rec.name, model=rec.relation_model_id.name,
                ))  # fmt: skip

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        self._check_frozen(vals)
        # The options write back to the field once, below.
        res = super(CrmCustomField, self.with_context(crm_custom_field_sync=False)).write(vals)
        applied = self.filtered(lambda r: r.state == "applied" and r.field_id)
        if applied and {"name", "help", "option_ids"} & set(vals):
            applied._sync_field()
        if applied and set(VIEW_FIELDS) & set(vals):
            applied._sync_views()
        return res

    def copy(self, default=None):
        if default and "name" in default:
            return super().copy(default)
        # A label names one field of its model. Passed as a default, it keeps
        # the original's translations (its English one too) off the copy.
        return self.browse().union(*(
            super(CrmCustomField, rec).copy(dict(default or {}, name=self.env._("%(label)s (copy)", label=rec.name)))
            for rec in self
        ))  # fmt: skip

    def _check_frozen(self, vals):
        frozen = [fname for fname in FROZEN_FIELDS if fname in vals]
        for rec in self.filtered(lambda r: r.state == "applied"):
            for fname in frozen:
                field = self._fields[fname]
                old = rec[fname].id if field.type == "many2one" else rec[fname]
                if (old or False) != (vals[fname] or False):
                    raise UserError(self.env._(
                        "The %(property)s of the custom field %(label)s cannot change once it is applied: "
                        "remove the field and add it again.",
                        property=field._description_string(self.env), label=rec.name,
                    ))  # fmt: skip

    @api.ondelete(at_uninstall=False)
    def _unlink_except_applied(self):
        applied = self.filtered(lambda r: r.state == "applied")
        if applied:
            raise UserError(self.env._(
                "Remove the custom field %(label)s from the records before deleting it.", label=applied[0].name
            ))  # fmt: skip

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_apply(self):
        """Create the fields and their views, all in one registry reload."""
        drafts = self.filtered(lambda r: r.state == "draft")
        if not drafts:
            return False
        # Someone may have added a field of that name since the draft was saved.
        drafts._check_technical_name()
        new_fields = (
            self.env["ir.model.fields"].with_context(lang="en_US").create([rec._prepare_field_values() for rec in drafts])
        )
        for rec, field in zip(drafts, new_fields, strict=True):
            options = rec.option_ids if rec.field_type == "selection" else rec.option_ids.browse()
            selections = {selection.value: selection for selection in field.selection_ids}
            for option in options:
                option.with_context(crm_custom_field_sync=False).selection_id = selections[option.value]
            super(CrmCustomField, rec).write({"field_id": field.id, "state": "applied"})
        drafts._sync_field()
        drafts._sync_views()
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_remove(self):
        """Drop the views, then the fields with their columns and values."""
        self.filtered(lambda r: r.state == "applied")._remove_fields()
        return {"type": "ir.actions.client", "tag": "reload"}

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _prepare_field_values(self):
        self.ensure_one()
        en = self.with_context(lang="en_US")
        vals = {
            "name": self.technical_name,
            "model_id": self.env["ir.model"]._get_id(self.model_name),
            "field_description": en.name,
            "help": en.help or False,
            "ttype": self.field_type,
            "state": "manual",
            "store": True,
        }
        if self.field_type == "char":
            vals["translate"] = self.translate_values
        elif self.field_type == "selection":
            vals["selection_ids"] = [
                Command.create({"value": option.value, "name": option.with_context(lang="en_US").name,
                                "sequence": option.sequence})
                for option in self.option_ids
            ]  # fmt: skip
        elif self.field_type == "many2one":
            vals.update(relation=self.relation_model_id.model, on_delete="set null", index=True)
        return vals

    def _sync_field(self):
        """Label, tooltip and options of the Odoo fields, in every language."""
        for rec in self:
            field = rec.field_id
            self._copy_translations(rec, "name", field, "field_description")
            if rec.with_context(lang="en_US").help:
                self._copy_translations(rec, "help", field, "help")
            elif field.help:
                field.help = False
        self.filtered(lambda r: r.field_type == "selection")._sync_options()

    def _sync_options(self):
        Selection = self.env["ir.model.fields.selection"].with_context(lang="en_US")
        for rec in self:
            if not rec.option_ids:
                raise ValidationError(
                    self.env._("Add at least one option to the selection field %(label)s.", label=rec.name)
                )
            options = rec.option_ids.with_context(crm_custom_field_sync=False)
            stale = rec.field_id.selection_ids - options.selection_id
            # Odoo would empty the field on the records holding a removed
            # value: refused while records hold it, nothing is lost unseen.
            rec._check_unused(stale)
            stale.unlink()
            for option in options.filtered("selection_id"):
                wanted = {
                    "value": option.value, "name": option.with_context(lang="en_US").name, "sequence": option.sequence,
                }  # fmt: skip
                changed = {key: value for key, value in wanted.items() if option.selection_id[key] != value}
                if changed:
                    # A new value is also written on the records holding the old one.
                    Selection.browse(option.selection_id.id).write(changed)
            new = options.filtered(lambda o: not o.selection_id)
            created = Selection.create([
                {"field_id": rec.field_id.id, "value": option.value,
                 "name": option.with_context(lang="en_US").name, "sequence": option.sequence}
                for option in new
            ])  # fmt: skip
            for option, selection in zip(new, created, strict=True):
                option.selection_id = selection
            for option in options:
                self._copy_translations(option, "name", option.selection_id, "name")

    def _check_unused(self, selections):
        """Refuse removing options that records still hold, naming them."""
        self.ensure_one()
        if not selections:
            return
        # sudo and archived records too: the records of every user hold the value.
        Model = self.env[self.field_id.model].sudo().with_context(active_test=False)
        fname = self.field_id.name
        used = dict(Model._read_group([(fname, "in", selections.mapped("value"))], [fname], ["__count"]))
        if used:
            labels = {selection.value: selection.name for selection in selections}
            raise ValidationError(self.env._(
                "The custom field %(field)s: records still hold the options %(options)s. Give them another "
                "value first (filter on the option, select them all and edit the field), then remove the option.",
                field=self.name,
                options=", ".join(f"{labels[value]} ({count})" for value, count in used.items()),
            ))  # fmt: skip

    @api.model
    def _copy_translations(self, source, source_fname, target, target_fname):
        """Give ``target_fname`` of ``target`` the value of ``source_fname``
        of ``source`` in every installed language (and English)."""
        langs = {"en_US", *(code for code, _name in self.env["res.lang"].get_installed())}
        wanted = {lang: source.with_context(lang=lang)[source_fname] or False for lang in langs}
        current = {lang: target.with_context(lang=lang)[target_fname] or False for lang in langs}
        if wanted != current:
            target.update_field_translations(target_fname, wanted)

    def _sync_views(self):
        """Replace the views of the fields by views matching their settings
        (none for archived fields)."""
        self.with_context(active_test=False).view_ids.unlink()
        shown = self.filtered(lambda r: r.state == "applied" and r.active and r.field_id)
        vals_list = [(rec, vals) for rec in shown for vals in rec._prepare_view_values()]
        views = self.env["ir.ui.view"].create([vals for _rec, vals in vals_list])
        views_by_rec = defaultdict(list)
        for (rec, _vals), view in zip(vals_list, views, strict=True):
            views_by_rec[rec].append(view.id)
        for rec in self:
            super(CrmCustomField, rec).write({"view_ids": [Command.set(views_by_rec.get(rec, []))]})

    def _variants(self):
        variants = TARGETS[self.target]["variants"]
        if self.target == "lead" and self.lead_type != "both":
            return [variants[self.lead_type]]
        return list(variants.values())

    def _prepare_view_values(self):
        """One inherited view per view to extend: the form, the lists and the
        search views of the target's records."""
        self.ensure_one()
        fname = self.technical_name
        specs = defaultdict(list)  # (view type, inherited view, field position) -> xpath nodes
        for variant in self._variants():
            condition = variant["condition"]
            inherit, expr, position = variant["form"][self.form_position]
            attrs = {"name": fname}
            if condition:
                attrs["invisible"] = f"not ({condition})"
            if self.required:
                attrs["required"] = condition or "True"
            nodes = specs[("form", inherit, position)]
            nodes.append(E.xpath(E.field(**attrs), expr=expr, position=position))
            if self.form_position == "page":
                reveal = f"not ({condition})" if condition else ""
                nodes.append(E.xpath(E.attribute(reveal, name="invisible"), expr=variant["page"], position="attributes"))
            if self.list_display != "none":
                inherit, name_expr = variant["list"]
                column = E.field(name=fname, optional=self.list_display)
                if self.list_position == "name":
                    specs[("list", inherit, "after")].append(E.xpath(column, expr=name_expr, position="after"))
                else:
                    specs[("list", inherit, "inside")].append(E.xpath(column, expr="/list", position="inside"))
            if self.searchable:
                specs[("search", variant["search"], "inside")].append(
                    E.xpath(E.field(name=fname), expr="/search", position="inside")
                )
        return [
            {
                "name": f"{self.model_name}.{view_type}.custom.{fname}",
                "model": self.model_name,
                "type": view_type,
                "mode": "extension",
                "inherit_id": self.env.ref(inherit).id,
                "priority": self._view_priority(position),
                "arch": etree.tostring(E.data(*nodes), encoding="unicode"),
            }
            for (view_type, inherit, position), nodes in specs.items()
        ]

    def _view_priority(self, position):
        # Views are applied by priority. Fields inserted after the same anchor
        # read in the reverse order of their views: apply those by decreasing
        # sequence, so that all custom fields read by sequence.
        return 1000 - self.sequence if position == "after" else 100 + self.sequence

    def _remove_fields(self, force=False):
        """Views first (Odoo refuses to drop a field a view shows), then the
        fields; ``force`` (uninstalling) skips the checks of what uses them."""
        if not force:
            self._check_removable()
            self._clean_references()
        self.with_context(active_test=False).view_ids.unlink()
        self.field_id.unlink()
        self.option_ids.with_context(crm_custom_field_sync=False).selection_id = False
        super(CrmCustomField, self).write({"state": "draft", "field_id": False, "view_ids": [Command.clear()]})

    def _usage_pattern(self):
        return re.compile(r"\b(%s)\b" % "|".join(re.escape(name) for name in self.mapped("technical_name")))

    def _check_removable(self):
        """Automations, server actions and record rules using the fields would
        silently change behaviour (an automation on "these fields" watching
        every field instead): the administrator adapts them first."""
        fields_ = self.field_id
        pattern = self._usage_pattern()
        model_domain = [("model_id.model", "in", list(set(self.mapped("model_name"))))]
        users = []
        automations = self.env["base.automation"].with_context(active_test=False).search(model_domain)
        for automation in automations:
            if (
                automation.trigger_field_ids & fields_ or automation.on_change_field_ids & fields_
                or automation.trg_date_id & fields_
                or pattern.search(automation.filter_domain or "") or pattern.search(automation.filter_pre_domain or "")
            ):  # fmt: skip
                users.append(self.env._("automation rule “%(name)s”", name=automation.name))
        actions = self.env["ir.actions.server"].with_context(active_test=False).search(model_domain)
        for action in actions:
            if (
                action.update_field_id & fields_ or action.link_field_id & fields_ or action.webhook_field_ids & fields_
                or pattern.search(action.code or "") or pattern.search(action.update_path or "")
                or pattern.search(action.value or "")
            ):  # fmt: skip
                users.append(self.env._("server action “%(name)s”", name=action.name))
        rules = self.env["ir.rule"].with_context(active_test=False).search(model_domain)
        for rule in rules.filtered(lambda r: pattern.search(r.domain_force or "")):
            users.append(self.env._("record rule “%(name)s”", name=rule.name))
        if users:
            raise UserError(self.env._(
                "The custom field %(labels)s cannot be removed while these use it: %(users)s. "
                "Change or delete them first.",
                labels=", ".join(self.mapped("name")), users="; ".join(users),
            ))  # fmt: skip

    def _clean_references(self):
        """Saved filters and export template columns using the fields would
        fail once the fields are gone: they go with them."""
        pattern = self._usage_pattern()
        model_names = list(set(self.mapped("model_name")))
        filters = self.env["ir.filters"].with_context(active_test=False).search([("model_id", "in", model_names)])
        filters.filtered(
            lambda f: pattern.search(f.domain or "") or pattern.search(f.context or "") or pattern.search(f.sort or "")
        ).unlink()
        # sudo: export templates belong to their users; a column the
        # administrator removes from the database is removed from all of them.
        lines_su = self.env["ir.exports.line"].sudo().search([("export_id.resource", "in", model_names)])
        names = set(self.mapped("technical_name"))
        stale_su = lines_su.filtered(lambda line: (line.name or "").split("/")[0] in names)
        exports_su = stale_su.export_id
        stale_su.unlink()
        exports_su.filtered(lambda export: not export.export_fields).unlink()
