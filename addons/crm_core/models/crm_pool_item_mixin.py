from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.models import READ_GROUP_AGGREGATE, parse_read_group_spec
from odoo.osv import expression
from odoo.tools import SQL


class CrmPoolItemMixin(models.AbstractModel):
    """A record that may sit in a lead pool without an owner: customers and
    leads. Reps of the pool read it through a read-only rule; its contact
    details are refused to explicit reads and masked in the web client until
    someone claims it; claims of the same records, or by the same user,
    are serialised."""

    _name = "crm.pool.item.mixin"
    _description = "Lead Pool Item"

    crm_pool_id = fields.Many2one("crm.pool", string="Pool", index="btree_not_null", tracking=True, copy=False)

    def _crm_pool_masked_fields(self):
        """Fields hidden from reps until the record is claimed (models override)."""
        return set()

    def _crm_in_pool(self):
        """The records of self waiting in a pool."""
        return self.filtered(lambda r: not r.user_id and r.crm_pool_id)

    def _crm_pool_domain(self):
        """The records waiting in a pool, as a domain (_crm_in_pool in SQL)."""
        return [("user_id", "=", False), ("crm_pool_id", "!=", False)]

    def _crm_pool_key(self):
        """(department, region, company) that choose a record's home pool."""
        self.ensure_one()
        return self.team_id, self.env["crm.region"], self.company_id

    def _crm_pool_hidden(self):
        """Pool records in self whose details the user may not see: those the
        pool rule lets them read but no rule lets them edit."""
        if self.env.su:
            return self.browse()
        pool_records = self._crm_in_pool()
        if not pool_records:
            return pool_records
        return pool_records - pool_records._filtered_access("write")

    def _crm_check_linkable(self):
        """Refuse records the user may not read, and pool records they have
        not claimed, as the customer or lead of a document (crm.owned.mixin)."""
        if self.env.su or not self:
            return
        self.check_access("read")
        hidden = self._crm_pool_hidden()
        if hidden:
            raise UserError(
                self.env._("Claim %(names)s from the pool first.", names=", ".join(hidden.mapped("display_name")[:5]))
            )

    def _crm_pool_hidden_domain(self):
        """_crm_pool_hidden over the whole table, as a domain for the superuser
        (it holds the user's rules); None when nothing the user reads is hidden
        from them (their write rules are their read rules: the superuser, the
        general manager, users outside the bundle's roles)."""
        if self.env.su:
            return None
        Rule = self.env["ir.rule"]
        writable = (
            Rule._compute_domain(self._name, "write") if self.browse().has_access("write") else expression.FALSE_DOMAIN
        )
        if writable == Rule._compute_domain(self._name, "read"):
            return None
        return expression.AND([self._crm_pool_domain(), ["!", *expression.normalize_domain(writable)]])

    def _crm_pool_hidden_query(self):
        domain = self._crm_pool_hidden_domain()
        # sudo: the domain already holds the user's rules.
        return None if domain is None else self.sudo()._where_calc(domain, active_test=False)

    def _crm_pool_hidden_sql(self, alias, fname):
        """SQL true on the rows of ``alias`` whose ``fname`` the user may not
        see, or None when that is no row."""
        if fname not in self._crm_pool_masked_fields():
            return None
        query = self._crm_pool_hidden_query()
        return None if query is None else SQL("%s IN %s", SQL.identifier(alias, "id"), query.subselect())

    def _crm_pool_unmasked(self, domain):
        """``domain`` restricted to the records whose details the user sees."""
        query = self._crm_pool_hidden_query()
        return domain if query is None else expression.AND([domain, [("id", "not in", query)]])

    # ------------------------------------------------------------------
    # Searching, grouping and sorting by a masked field
    # ------------------------------------------------------------------
    # What a read refuses must not come out of the SQL either: a condition on
    # a masked field never matches a hidden record, whatever its operator (no
    # probing digit by digit, =like '138%'), and a hidden record sorts, groups
    # and aggregates as if the field were empty.

    def _condition_to_sql(self, alias, fname, operator, value, query):
        sql = super()._condition_to_sql(alias, fname, operator, value, query)
        hidden = self._crm_pool_hidden_sql(alias, fname)
        return sql if hidden is None else SQL("(%s AND NOT %s)", sql, hidden)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        fname = field_name.split(".", 1)[0]
        hidden = self._crm_pool_hidden_sql(alias, fname)
        if hidden is None:
            return super()._order_field_to_sql(alias, field_name, direction, nulls, query)
        field = self._fields[fname]
        if field.type == "many2one":
            # The comodel's order, through a join that hidden rows do not match.
            comodel = self.env[field.comodel_name]
            coalias = query.make_alias(alias, f"{fname}__crm_unmasked")
            query.add_join("LEFT JOIN", coalias, comodel._table, SQL(
                "%s = %s AND NOT %s", self._field_to_sql(alias, fname, query), SQL.identifier(coalias, "id"), hidden,
            ))  # fmt: skip
            return comodel._order_to_sql(comodel._order, query, alias=coalias, reverse=direction.code == "DESC")
        sql_field = SQL("CASE WHEN %s THEN NULL ELSE %s END", hidden, self._field_to_sql(alias, field_name, query))
        if query.groupby:
            query.groupby = SQL("%s, %s", query.groupby, sql_field)
        return SQL("%s %s %s", sql_field, direction, nulls)

    def _read_group_groupby(self, groupby_spec, query):
        sql = super()._read_group_groupby(groupby_spec, query)
        hidden = self._crm_pool_hidden_sql(self._table, parse_read_group_spec(groupby_spec)[0])
        return sql if hidden is None else SQL("CASE WHEN %s THEN NULL ELSE %s END", hidden, sql)

    def _read_group_select(self, aggregate_spec, query):
        sql = super()._read_group_select(aggregate_spec, query)
        if aggregate_spec == "__count":
            return sql
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        hidden = self._crm_pool_hidden_sql(self._table, fname)
        if hidden is None:
            return sql
        sql_field = SQL("CASE WHEN %s THEN NULL ELSE %s END", hidden, self._field_to_sql(self._table, fname, query))
        return READ_GROUP_AGGREGATE[func](self._table, sql_field)

    def web_read(self, specification):
        return super(CrmPoolItemMixin, self.with_context(crm_pool_mask=True)).web_read(specification)

    def _read_format(self, fnames, load="_classic_read"):
        # Contact details of a pool record are refused to explicit reads
        # (read, search_read: RPC, scripts) and masked in the web client's
        # reads (web_read), so that the pool's screens still open.
        masked = self._crm_pool_masked_fields().intersection(fnames)
        hidden = self._crm_pool_hidden() if masked else self.browse()
        if hidden and not self.env.context.get("crm_pool_mask"):
            raise AccessError(
                self.env._(
                    "Claim %(names)s before reading its contact details (%(fields)s).",
                    names=", ".join(hidden.mapped("display_name")[:5]),
                    fields=", ".join(sorted(masked)),
                )
            )
        result = super()._read_format(fnames, load=load)
        if hidden:
            hidden_ids = set(hidden.ids)
            for values in result:
                if values["id"] in hidden_ids:
                    for fname in masked:
                        values[fname] = [] if self._fields[fname].type in ("one2many", "many2many") else False
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        # Checked at every level of the export, not only on the exported
        # records: a path through a relation (commercial_partner_id/phone,
        # duplicate_lead_ids/email_from) reaches pool records too, and the
        # export reads the values directly, around _read_format.
        masked = self._crm_pool_masked_fields().intersection(path[0] for path in fields if path)
        hidden = self._crm_pool_hidden() if masked else self.browse()
        if hidden:
            raise AccessError(
                self.env._(
                    "Claim %(names)s before exporting its contact details (%(fields)s).",
                    names=", ".join(hidden.mapped("display_name")[:5]),
                    fields=", ".join(sorted(masked)),
                )
            )
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    def _crm_serialize_claims(self, user):
        """Make concurrent claims of the same records, or by the same user,
        wait for each other: the first to commit wins, the other is retried
        on fresh data (serialization failure) and sees the new owner or its
        new holdings."""
        # The conflicts are expected: Odoo retries the request, no error to log.
        self.env.cr.execute(
            SQL("UPDATE res_users SET crm_last_claim_date = now() WHERE id = %s", user.id), log_exceptions=False
        )
        self.env.cr.execute(
            SQL("SELECT id FROM %s WHERE id IN %s ORDER BY id FOR UPDATE", SQL.identifier(self._table), tuple(self.ids)),
            log_exceptions=False,
        )
        self.invalidate_recordset(["user_id", "crm_pool_id"])

    def _crm_check_claimable(self):
        for record in self.sudo():
            if record.user_id:
                raise UserError(
                    self.env._(
                        "%(name)s was already claimed by %(owner)s.", name=record.display_name, owner=record.user_id.name
                    )
                )
            if not record.crm_pool_id:
                raise UserError(self.env._("%(name)s is not in a pool.", name=record.display_name))

    def _crm_set_home_pool(self):
        """Unowned records without a pool go to their home pool, one write per pool."""
        homeless = self.sudo().filtered(lambda r: not r.crm_pool_id)
        if homeless:
            Pool = self.env["crm.pool"]
            pools = Pool.sudo().search([])
            for pool, members in homeless.grouped(lambda r: Pool._pool_for(r, pools)).items():
                members.crm_pool_id = pool
