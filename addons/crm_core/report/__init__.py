from . import crm_receivable_report
from . import crm_contract_report
from . import crm_server_status
from . import sale_report
from . import crm_service_report
from . import crm_communication
