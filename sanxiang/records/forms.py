from django import forms

from . import rules


class ScanUploadForm(forms.Form):
    file = forms.FileField(
        label="签章文书扫描件",
        help_text="签名、盖章后的纸质文书扫描件：PDF 或 JPEG、PNG、TIFF 图片",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=40,
        help_text="文书二维码旁印制的验证码，如 K7QM-3XTA-9P（不区分大小写，可省略短横线）",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self):
        code = rules.normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "验证码应为 10 位字母和数字（如 K7QM-3XTA-9P），请核对后重新输入"
            )
        return code
