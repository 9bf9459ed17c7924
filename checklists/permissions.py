"""Who may build and edit checklist templates."""

from programs.permissions import is_admin, organization_ids


def managed_organization_ids(user):
    """Organizations whose checklist templates the user may build and edit."""
    return organization_ids(user, coordinating=True)


def can_build_templates(user):
    return is_admin(user) or bool(managed_organization_ids(user))


def can_manage_template(user, template):
    """Shared templates (no organization) are the admins'; others their organization's."""
    if is_admin(user):
        return True
    return template.organization_id is not None and (
        template.organization_id in managed_organization_ids(user)
    )
