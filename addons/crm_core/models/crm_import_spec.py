"""What each import target reads: its columns, in template order.

A column is (key, field, English header, Chinese header, kind, required,
aliases). ``kind`` says how a cell is checked and converted (see
crm.import.job._crm_convert_*); aliases are other headers recognised when
mapping a file that was not made from the template.
"""

import re
from collections import namedtuple

Column = namedtuple("Column", "key field en zh kind required aliases", defaults=(False, ()))

_ADDRESS = [
    Column("street", "street", "Address", "地址", "char", aliases=("street", "详细地址", "联系地址")),
    Column("city", "city", "City", "城市", "char", aliases=("市", "所在城市")),
    Column("state", "state_id", "Province", "省份", "state", aliases=("state", "省", "省/直辖市")),
    Column("country", "country_id", "Country", "国家", "country", aliases=("country code", "国家/地区")),
    Column("zip", "zip", "ZIP", "邮编", "char", aliases=("postcode", "邮政编码")),
]
_REACH = [
    Column("phone", "phone", "Phone", "电话", "phone", aliases=("telephone", "tel", "座机", "联系电话", "固定电话")),
    Column("mobile", "mobile", "Mobile", "手机", "phone", aliases=("cell", "mobile phone", "手机号", "手机号码")),
    Column("email", "email", "Email", "邮箱", "email", aliases=("e-mail", "mail", "电子邮件", "电子邮箱")),
]
_COMPANY = [
    Column("website", "website", "Website", "网址", "char", aliases=("web", "网站", "公司网址")),
    Column("vat", "vat", "Credit Code", "统一社会信用代码", "vat", aliases=("tax id", "vat", "税号", "信用代码")),
    Column("industry", "industry_id", "Industry", "行业", "industry", aliases=("所属行业",)),
]
_NOTE = Column("note", "comment", "Notes", "备注", "text", aliases=("comment", "remarks", "说明"))

COLUMNS = {
    "customer": [
        Column("name", "name", "Customer Name", "客户名称", "char", True, ("name", "company", "company name", "公司名称", "名称", "客户")),
        *_REACH,
        *_ADDRESS,
        *_COMPANY,
        Column("type", "crm_customer_type_id", "Customer Type", "客户类型", "customer_type", aliases=("type", "类型")),
        Column("grade", "crm_grade_id", "Grade", "客户等级", "grade", aliases=("level", "等级", "级别")),
        Column("source", "crm_source_id", "Source", "客户来源", "source", aliases=("来源", "渠道来源")),
        Column("owner", "user_id", "Owner", "负责人", "user", aliases=("salesperson", "sales rep", "业务员", "销售员")),
        _NOTE,
    ],
    "supplier": [
        Column("name", "name", "Supplier Name", "供应商名称", "char", True, ("name", "company", "vendor", "公司名称", "名称", "供应商")),
        *_REACH,
        *_ADDRESS,
        *_COMPANY,
        _NOTE,
    ],
    "contact": [
        Column("company", "parent_id", "Company", "所属公司", "parent", True, ("customer", "customer name", "客户名称", "公司", "公司名称", "客户")),
        Column("name", "name", "Contact Name", "联系人", "char", True, ("name", "contact", "姓名", "联系人姓名")),
        Column("function", "function", "Job Position", "职务", "char", aliases=("job title", "position", "title", "职位")),
        *_REACH,
        _NOTE,
    ],
    "product": [
        Column("name", "name", "Product Name", "产品名称", "char", True, ("name", "product", "品名", "名称")),
        Column("code", "default_code", "Internal Reference", "产品编号", "char", aliases=("code", "sku", "reference", "编号", "货号", "型号")),
        Column("barcode", "barcode", "Barcode", "条码", "char", aliases=("ean", "条形码")),
        Column("category", "categ_id", "Category", "产品类别", "category", aliases=("product category", "类别", "分类")),
        Column("product_type", "type", "Product Type", "产品类型", "product_type", aliases=("type", "类型")),
        Column("price", "list_price", "Sales Price", "销售价", "price", aliases=("price", "list price", "售价", "单价", "价格")),
        Column("cost", "standard_price", "Cost", "成本价", "price", aliases=("cost price", "成本", "进价")),
        Column("description", "description_sale", "Description", "描述", "text", aliases=("sales description", "说明", "产品描述")),
    ],
}  # fmt: skip

# Duplicate keys in the order a match is looked for; the first key that
# matches an existing record decides which record a row is.
IDENTITY_KEYS = {
    "customer": ("vat", "phone", "email", "name"),
    "supplier": ("vat", "phone", "email", "name"),
    "contact": ("phone", "email", "name"),
    "product": ("code", "barcode", "name"),
}

_HEADER_NOISE = re.compile(r"[\s*:：_()（）\[\]]+")


def header_key(text):
    """A header as compared for mapping: case, spaces, required marks and
    brackets do not count."""
    return _HEADER_NOISE.sub("", (text or "").lower())


def header_index(columns):
    """{compared header: column key} for every name a column answers to:
    its key, field, both headers and its aliases."""
    index = {}
    for column in columns:
        for name in (column.key, column.field, column.en, column.zh, *column.aliases):
            index.setdefault(header_key(name), column.key)
    return index


def match_header(header, index):
    """The column key a file header maps to, or False. A bilingual header
    ("客户名称 / Customer Name") maps by either half."""
    for part in [header, *re.split(r"[/|\n]", header or "")]:
        key = index.get(header_key(part))
        if key:
            return key
    return False
