from . import crm_customer_transfer
from . import crm_public_search
from . import crm_pool_wizard_mixin
from . import crm_pool_release
from . import crm_pool_assign
from . import crm_lead_lost
