from . import crm_receivable_report
from . import crm_contract_report
from . import crm_server_status
