"""Filters for document templates: ``{% load documents %}`` then ``{{ doc.issued_on|cn_date }}``."""

from django import template

from sanxiang.records.documents.formatting import FILTERS

register = template.Library()

for _name, _function in FILTERS.items():
    register.filter(_name, _function)
