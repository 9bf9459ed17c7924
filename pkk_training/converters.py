from django.urls import register_converter


class SpreadsheetFormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SpreadsheetFormatConverter, "sheet")
