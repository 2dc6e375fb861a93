from . import test_roles
from . import test_menus
from . import test_hierarchy
from . import test_customer_archive
from . import test_public_search
from . import test_transfer
from . import test_ui
