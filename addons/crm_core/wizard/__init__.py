from . import crm_customer_transfer
from . import crm_public_search
