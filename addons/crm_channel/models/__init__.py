from . import crm_channel_level
from . import res_partner
