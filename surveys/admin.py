from django.contrib import admin

from surveys.models import Answer, Choice, HeldResponse, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "text", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "kind", "anonymous", "opens_at", "closes_at"]
    list_filter = ["kind", "anonymous", "program__organization"]
    search_fields = ["title", "program__name"]
    readonly_fields = ["public_token"]
    inlines = [QuestionInline]
    list_select_related = ["program"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["position", "label", "value", "is_correct"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "kind", "position", "required"]
    list_filter = ["kind", "required"]
    search_fields = ["text", "survey__title"]
    inlines = [ChoiceInline]
    list_select_related = ["survey"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "participant", "channel", "submitted_at", "updated_at"]
    list_filter = ["channel", "survey__program"]
    search_fields = ["participant__full_name", "survey__title"]
    raw_id_fields = ["participant", "survey"]
    list_select_related = ["survey", "participant"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "response", "number", "text"]
    search_fields = ["text", "question__text"]
    raw_id_fields = ["response", "question"]
    list_select_related = ["question", "response__survey", "response__participant"]


@admin.register(HeldResponse)
class HeldResponseAdmin(admin.ModelAdmin):
    list_display = ["survey", "phone", "participant", "reason", "submitted_at"]
    list_filter = ["reason", "survey__program__organization"]
    list_select_related = ["survey", "participant"]
    readonly_fields = ["survey", "phone", "participant", "reason", "answers", "submitted_at"]
