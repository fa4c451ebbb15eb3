import React, { useState } from 'react';
import { ApiClient, useNotice } from 'adminjs';
import { Box, Button, FormGroup, Input, Label, Text, TextArea, H4 } from '@adminjs/design-system';

/**
 * A small form for a workflow action: its fields come from the action's `custom.fields`
 * ([{ name, label, type, help }]); on submit the values are posted to the action, whose notice is shown.
 */
const ActionForm = (props) => {
  const { record, records, resource, action } = props;
  const fields = (action.custom && action.custom.fields) || [];
  const [values, setValues] = useState({});
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const api = new ApiClient();

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const response = records
        ? await api.bulkAction({ resourceId: resource.id, recordIds: records.map((r) => r.id), actionName: action.name, method: 'post', data: values })
        : await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, method: 'post', data: values });
      if (response.data.notice) addNotice(response.data.notice);
      if (response.data.notice && response.data.notice.type === 'success') setValues({});
    } catch (e) {
      addNotice({ message: 'The request failed. Please try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} variant="white" p="xl">
      <H4>{(action.custom && action.custom.title) || action.label}</H4>
      {action.custom && action.custom.description ? <Text mb="lg">{action.custom.description}</Text> : null}
      {fields.map((f) => (
        <FormGroup key={f.name}>
          <Label htmlFor={f.name} required={f.required}>{f.label}</Label>
          {f.type === 'textarea' ? (
            <TextArea id={f.name} width={1} value={values[f.name] || ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
          ) : f.type === 'select' ? (
            <select id={f.name} style={{ width: '100%', padding: 8 }} value={values[f.name] || ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
              <option value="">—</option>
              {(f.options || []).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          ) : f.type === 'checkbox' ? (
            <input id={f.name} type="checkbox" checked={values[f.name] === 'true'} onChange={(e) => setValues({ ...values, [f.name]: e.target.checked ? 'true' : 'false' })} />
          ) : (
            <Input id={f.name} type={f.type || 'text'} width={1} autoComplete="off" value={values[f.name] || ''} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
          )}
          {f.help ? <Text variant="sm" mt="sm">{f.help}</Text> : null}
        </FormGroup>
      ))}
      <Button type="submit" variant="contained" disabled={busy}>{(action.custom && action.custom.submitLabel) || 'Submit'}</Button>
    </Box>
  );
};

export default ActionForm;
