import base64
import binascii
import math
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

# Ids are PostgreSQL integers.
MAX_ID = 2**31 - 1
ID_COMMANDS = (Command.UPDATE, Command.DELETE, Command.UNLINK, Command.LINK)


def is_id(value):
    """A record id as a client sends it: a positive integer (not a boolean,
    a float or a text of digits)."""
    return type(value) is int and 0 < value <= MAX_ID


def is_finite(number):
    try:
        return math.isfinite(number)
    except OverflowError:  # an int beyond any float
        return False


def browse_arg(model, value, label):
    """The record of ``model`` a public method receives by id (over RPC), or
    an empty recordset for False; a UserError naming ``label`` for anything
    else, before the id reaches PostgreSQL."""
    if value is False or value is None:
        return model.browse()
    # sudo: whether the id exists only; access is the caller's business.
    if not is_id(value) or not model.sudo().browse(value).exists():
        raise UserError(model.env._("%(label)s: %(value)s is not a record of %(model)s.",
                                    label=label, value=repr(value)[:80], model=model._description))  # fmt: skip
    return model.browse(value)


class CrmInputMixin(models.AbstractModel):
    """Values of the wrong type are refused with the field's name before they
    reach PostgreSQL: a text or a list where an id is expected, an id that
    does not exist, a date that is not one, a number that is not one, an
    unknown option. PostgreSQL would refuse most of them too, but with an
    error that names neither the field nor the value's meaning, and only
    after logging a failed query; Odoo itself checks the types of few fields.
    For the bundle's models that users write over RPC and Odoo's import."""

    _name = "crm.input.mixin"
    _description = "Checked Input"

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_check_input(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._crm_check_input([vals])
        return super().write(vals)

    @api.model
    def _crm_check_input(self, vals_list):
        linked = defaultdict(set)  # field: ids it links to
        for vals in vals_list:
            for fname, value in vals.items():
                field = self._fields.get(fname)
                if field is None:
                    raise ValidationError(
                        self.env._("%(model)s has no field %(field)s.", model=self._description, field=fname)
                    )
                if value is False or value is None:
                    continue
                reason = self._crm_input_error(field, value, linked)
                if reason:
                    raise ValidationError(
                        self.env._("%(field)s: %(value)s %(reason)s",
                                   field=field._description_string(self.env), value=repr(value)[:80], reason=reason)
                    )  # fmt: skip
        for field, ids in linked.items():
            # sudo: whether the ids exist only; rules apply to the write itself.
            missing = ids - set(self.env[field.comodel_name].sudo().browse(ids).exists().ids)
            if missing:
                raise ValidationError(
                    self.env._("%(field)s: there is no record with id %(ids)s.",
                               field=field._description_string(self.env), ids=", ".join(map(str, sorted(missing))))
                )  # fmt: skip

    def _crm_input_error(self, field, value, linked):
        """Why ``value`` does not fit ``field`` (None when it does); the ids
        it links to are added to ``linked`` to be checked at once."""
        _ = self.env._
        kind = field.type
        if kind == "many2one":
            # Odoo reads 0 as no record, and internal code may give a record.
            if isinstance(value, models.BaseModel) or (type(value) is int and value == 0):
                return None
            if not is_id(value):
                return _("is not a record id.")
            linked[field].add(value)
        elif kind in ("one2many", "many2many"):
            return self._crm_commands_error(field, value, linked)
        elif kind in ("integer", "float", "monetary"):
            if type(value) not in (int, float) or not is_finite(value):
                return _("is not a number.")
            if kind == "integer" and abs(value) > MAX_ID:
                return _("is too large.")
        elif kind in ("date", "datetime"):
            if not isinstance(value, (str, date)):
                return _("is not a date.")
            try:
                (fields.Date.to_date if kind == "date" else fields.Datetime.to_datetime)(value)
            except ValueError:
                return _("is not a date (year-month-day).") if kind == "date" else _("is not a date and time.")
        elif kind == "selection":
            if value not in field.get_values(self.env):
                return _("is not one of the options.")
        elif kind in ("char", "text", "html"):
            # PostgreSQL refuses it in a text, with an error naming nothing.
            if isinstance(value, str) and "\x00" in value:
                return _("contains a NUL character.")
        elif kind == "binary":
            try:
                base64.b64decode(value)
            except (binascii.Error, TypeError, ValueError):
                return _("is not a file encoded in base64.")
        return None

    def _crm_commands_error(self, field, value, linked):
        _ = self.env._
        if not isinstance(value, (list, tuple)):
            return _("is not a list of records.")
        for command in value:
            if is_id(command):
                linked[field].add(command)
                continue
            if not isinstance(command, (list, tuple)) or not command or command[0] not in tuple(Command):
                return _("is not a list of records.")
            if command[0] in ID_COMMANDS:
                if len(command) < 2 or not is_id(command[1]):
                    return _("is not a list of records.")
                linked[field].add(command[1])
            elif command[0] == Command.SET:
                ids = command[2] if len(command) > 2 else None
                if not isinstance(ids, (list, tuple)) or not all(map(is_id, ids)):
                    return _("is not a list of records.")
                linked[field].update(ids)
            if command[0] in (Command.CREATE, Command.UPDATE):
                values = command[2] if len(command) > 2 else None
                if not isinstance(values, dict):
                    return _("is not a list of records.")
                # The lines' own values: Odoo reads them (precomputed fields)
                # before the lines' create.
                comodel = self.env[field.comodel_name]
                if hasattr(comodel, "_crm_check_input"):
                    comodel._crm_check_input([values])
        return None
