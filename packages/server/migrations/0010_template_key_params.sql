-- Which parts of a parameter-dependent template decide its verdict: the model names the `<*>` slots
-- (key_params, 0-based) of the template text it was shown (key_template). Lines are then keyed by
-- the values of those slots, "<template id>:k<hash of the values>", instead of one verdict per
-- message: a counter beside a host name costs one verdict per host. Values are extracted with
-- key_template, not the current text, so a template that generalised later cannot shift the slots;
-- a line that does not fit it, and templates with key_params NULL or empty, stay keyed per message.
ALTER TABLE log_templates ADD COLUMN key_params smallint[];
ALTER TABLE log_templates ADD COLUMN key_template text;
