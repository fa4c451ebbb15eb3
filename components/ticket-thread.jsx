import React, { useState } from 'react';
import { ApiClient, useNotice } from 'adminjs';
import { Box, Button, FormGroup, H4, Label, Select, Text, TextArea, Badge } from '@adminjs/design-system';

const parse = (record, key, fallback) => {
  try {
    return record && record.params && record.params[key] ? JSON.parse(record.params[key]) : fallback;
  } catch {
    return fallback;
  }
};
const kb = (bytes) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const when = (iso) => new Date(iso).toLocaleString();
const fileLink = (f) => `/admin/resources/TicketAttachment/records/${f.id}/show`;

// Text only (React escapes it): a customer's message is never rendered as HTML here.
const Message = ({ m }) => {
  const style = m.internal
    ? { background: '#fff8e1', borderLeft: '4px solid #f5a623' }
    : m.authorType === 'staff'
      ? { background: '#eef4ff', borderLeft: '4px solid #4268f6' }
      : m.authorType === 'system'
        ? { background: '#f4f4f4', borderLeft: '4px solid #999' }
        : { background: '#fff', borderLeft: '4px solid #ccc' };
  return (
    <Box mb="lg" p="lg" style={style}>
      <Text mb="sm">
        <b>{m.authorName}</b> · {m.authorType} · {when(m.createdAt)} {m.internal ? <Badge variant="danger">Internal note — staff only</Badge> : null}
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{m.message}</Text>
      {m.attachments.length ? (
        <Text mt="sm">
          {m.attachments.map((f) => (
            <a key={f.id} href={fileLink(f)} style={{ marginRight: 12 }}>
              📎 {f.fileName} ({kb(f.sizeBytes)})
            </a>
          ))}
        </Text>
      ) : null}
    </Box>
  );
};

/** The ticket's conversation for staff, oldest first, internal notes highlighted, with a reply / note box. */
const TicketThread = (props) => {
  const { resource } = props;
  const [record, setRecord] = useState(props.record);
  const thread = parse(record, 'thread', null);
  const predefined = parse(record, 'predefinedChoices', []);
  const [message, setMessage] = useState('');
  const [canned, setCanned] = useState(null);
  const [busy, setBusy] = useState(false);
  const addNotice = useNotice();
  const api = new ApiClient();

  const reload = async () => {
    const res = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: 'thread', method: 'get' });
    if (res.data && res.data.record) setRecord(res.data.record);
  };
  const send = async (actionName) => {
    setBusy(true);
    try {
      const data = { message };
      if (actionName === 'reply' && canned) data.predefinedReplyId = canned.value;
      const res = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName, method: 'post', data });
      const notice = res.data && res.data.notice;
      if (notice) addNotice(notice);
      if (notice && notice.type === 'success') {
        setMessage('');
        setCanned(null);
        await reload();
      }
    } catch (e) {
      addNotice({ message: 'The request failed (you may not be allowed to do this). Please try again.', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  if (!thread) return <Box variant="white" p="xl"><Text>This ticket no longer exists.</Text></Box>;
  return (
    <Box variant="white" p="xl">
      <H4>
        {thread.number} · {thread.subject} <Badge>{thread.status}</Badge> <Badge>{thread.priority}</Badge>
      </H4>
      {thread.messages.map((m) => <Message key={m.id} m={m} />)}
      {thread.attachments.length ? (
        <Text mb="lg">
          Ticket files:{' '}
          {thread.attachments.map((f) => (
            <a key={f.id} href={fileLink(f)} style={{ marginRight: 12 }}>{f.fileName} ({kb(f.sizeBytes)})</a>
          ))}
        </Text>
      ) : null}
      <FormGroup>
        <Label>Predefined reply</Label>
        <Select isClearable value={canned} options={predefined} onChange={(v) => setCanned(v)} />
      </FormGroup>
      <FormGroup>
        <Label>Message</Label>
        <TextArea width="100%" rows={6} value={message} onChange={(e) => setMessage(e.target.value)} />
      </FormGroup>
      <Button variant="primary" disabled={busy} onClick={() => send('reply')} mr="default">Send reply</Button>
      <Button disabled={busy || !message.trim()} onClick={() => send('addNote')}>Add internal note</Button>
    </Box>
  );
};

export default TicketThread;
