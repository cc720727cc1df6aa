-- The firm-wide audit log's filters (person, kind), newest first by id (UUIDv7: time order).
CREATE INDEX audit_firm_actor ON audit(firm_id, actor_id, id);
CREATE INDEX audit_firm_action ON audit(firm_id, action, id);
