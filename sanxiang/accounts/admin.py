from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserCreationForm

from sanxiang.lib.errors import DomainError

from . import roles, services
from .models import User


class RoleFieldMixin(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label="角色",
        required=False,
        choices=[(r, f"{r}：{roles.DESCRIPTIONS[r]}") for r in roles.ALL],
        widget=forms.CheckboxSelectMultiple,
        help_text="系统管理员、安全管理员、审计管理员须由不同人员担任。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = self.instance.role_names


class UserChangeForm(RoleFieldMixin):
    class Meta:
        model = User
        fields = ["username", "real_name", "phone", "unit", "email", "is_active"]


class UserAddForm(RoleFieldMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "real_name", "phone", "unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = ["username", "real_name", "unit", "roles_display", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "unit"]
    search_fields = ["username", "real_name", "phone"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("基本信息", {"fields": ["real_name", "phone", "unit", "email"]}),
        ("角色与状态", {"fields": ["roles", "is_active"]}),
        ("登录情况", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "real_name",
                    "phone",
                    "unit",
                    "password1",
                    "password2",
                    "roles",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description="角色")
    def roles_display(self, obj):
        return "、".join(obj.role_names)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: the ledger refers to them

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        try:
            services.user_set_roles(
                actor=request.user,
                user=form.instance,
                role_names=form.cleaned_data.get("roles", []),
            )
        except DomainError as exc:
            messages.error(request, f"角色未保存：{exc}")
