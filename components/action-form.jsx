import React, { useState } from 'react';
import { ApiClient, useNotice } from 'adminjs';
import { Box, Button, FormGroup, Input, Label, Text, TextArea, H4 } from '@adminjs/design-system';

/**
 * A small form for a workflow action: its fields come from the action's `custom.fields`
 * ([{ name, label, type, help }]); on submit the values are posted to the action, whose notice is shown.
 * Two optional answers of the action, kept out of notices (notices are copied into the audit log):
 * - `shownOnce: { label, value }` (a generated password) is shown in the form until it is closed;
 * - `openUrl` (a one-time panel login) is opened in a new tab; `custom.opensUrl` opens the tab on click, before
 *   the request, so popup blockers allow it.
 */
const ActionForm = (props) => {
  const { record, records, resource, action } = props;
  const custom = action.custom || {};
  // Fields that depend on the record (a gateway's own credential keys) come in a record param as JSON.
  const fields = custom.fields || (() => {
    try {
      return custom.fieldsParam && record && record.params && record.params[custom.fieldsParam] ? JSON.parse(record.params[custom.fieldsParam]) : [];
    } catch {
      return [];
    }
  })();
  // Current values to start from (editing settings), when the action sends them in a record param as JSON.
  const [values, setValues] = useState(() => {
    try {
      return custom.valuesParam && record && record.params && record.params[custom.valuesParam] ? JSON.parse(record.params[custom.valuesParam]) : {};
    } catch {
      return {};
    }
  });
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState(null);
  const addNotice = useNotice();
  // Choices that depend on the record (say, the products a service may move to) come in a record param as JSON.
  const optionsOf = (f) => {
    if (f.options) return f.options;
    const raw = f.optionsParam && record && record.params ? record.params[f.optionsParam] : null;
    try {
      return raw ? JSON.parse(raw) : [];
    } catch {
      return [];
    }
  };
  const api = new ApiClient();

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setShown(null);
    const tab = custom.opensUrl ? window.open('', '_blank') : null;
    try {
      const response = records
        ? await api.bulkAction({ resourceId: resource.id, recordIds: records.map((r) => r.id), actionName: action.name, method: 'post', data: values })
        : await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, method: 'post', data: values });
      const data = response.data || {};
      if (data.notice) addNotice(data.notice);
      if (data.notice && data.notice.type === 'success' && !custom.valuesParam) setValues({});
      if (data.shownOnce) setShown(data.shownOnce);
      if (data.openUrl) {
        if (tab) {
          tab.opener = null;
          tab.location.href = data.openUrl;
        } else window.location.assign(data.openUrl);
      } else if (tab) tab.close();
    } catch (e) {
      if (tab) tab.close();
      addNotice({ message: 'The request failed. Please try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} variant="white" p="xl">
      <H4>{custom.title || action.label}</H4>
      {custom.description ? <Text mb="lg">{custom.description}</Text> : null}
      {shown ? (
        <Box mb="lg" p="lg" variant="grey">
          <Label>{shown.label}</Label>
          <Text style={{ fontFamily: 'monospace', userSelect: 'all' }}>{shown.value}</Text>
          <Text variant="sm" mt="sm">Copy it now: it is not shown again.</Text>
        </Box>
      ) : null}
      {fields.map((f) => (
        <FormGroup key={f.name}>
          <Label htmlFor={f.name} required={f.required}>{f.label}</Label>
          {f.type === 'textarea' ? (
            <TextArea id={f.name} width={1} value={values[f.name] || ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
          ) : f.type === 'select' ? (
            <select id={f.name} style={{ width: '100%', padding: 8 }} value={values[f.name] || ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
              <option value="">—</option>
              {optionsOf(f).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          ) : f.type === 'checkbox' ? (
            <input id={f.name} type="checkbox" checked={values[f.name] === 'true'} onChange={(e) => setValues({ ...values, [f.name]: e.target.checked ? 'true' : 'false' })} />
          ) : (
            <Input id={f.name} type={f.type || 'text'} width={1} autoComplete="off" value={values[f.name] || ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
          )}
          {f.help ? <Text variant="sm" mt="sm">{f.help}</Text> : null}
        </FormGroup>
      ))}
      <Button type="submit" variant="contained" disabled={busy}>{custom.submitLabel || 'Submit'}</Button>
    </Box>
  );
};

export default ActionForm;
