"""On PostgreSQL the database itself refuses UPDATE and DELETE of security log rows, as office/audit does
for its logs (audit 0006): only a retention task's deletion of rows older than 180 days gets through."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION security_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('office.audit_archiving', true) = 'on'
       AND OLD.created_at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'security_securityevent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS security_securityevent_no_update_delete ON security_securityevent;
CREATE TRIGGER security_securityevent_no_update_delete
    BEFORE UPDATE OR DELETE ON security_securityevent
    FOR EACH ROW EXECUTE FUNCTION security_securityevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS security_securityevent_no_update_delete ON security_securityevent;
DROP FUNCTION IF EXISTS security_securityevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
