import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H4, Text } from '@adminjs/design-system';

/**
 * "Download PDF" on an invoice: fetches /admin/invoices/:id/pdf (the server checks Invoice.action.downloadPdf) and
 * hands the file to the browser as a download, so an error (no permission, Chromium missing) is shown here as a
 * message instead of replacing the admin page. The URL comes from the action's `custom.pdfUrl` ("{id}" placeholder).
 */
const InvoicePdf = (props) => {
  const { record, action } = props;
  const template = (action.custom && action.custom.pdfUrl) || '/admin/invoices/{id}/pdf';
  const url = template.replace('{id}', encodeURIComponent(record.id));
  const number = (record.params && record.params.invoiceNumber) || `invoice ${record.id}`;
  const [state, setState] = useState({ busy: true, error: null, done: false });

  const download = useCallback(async () => {
    setState({ busy: true, error: null, done: false });
    try {
      const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/pdf, application/json' } });
      if (!res.ok) {
        let message = `The PDF could not be produced (HTTP ${res.status}).`;
        try {
          const body = await res.json();
          if (body && body.message) message = body.message;
        } catch (e) {
          // not JSON: keep the generic message
        }
        setState({ busy: false, error: message, done: false });
        return;
      }
      const blob = await res.blob();
      const disposition = res.headers.get('Content-Disposition') || '';
      const match = /filename="([^"]+)"/.exec(disposition);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = match ? match[1] : `${number}.pdf`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      setState({ busy: false, error: null, done: true });
    } catch (e) {
      setState({ busy: false, error: 'The request failed. Please try again.', done: false });
    }
  }, [url, number]);

  useEffect(() => {
    download();
  }, [download]);

  return (
    <Box variant="white" p="xl">
      <H4>Invoice PDF</H4>
      {state.busy ? <Text mb="lg">Preparing the PDF of {number}…</Text> : null}
      {state.done ? <Text mb="lg">The PDF of {number} has been downloaded.</Text> : null}
      {state.error ? <Text mb="lg" color="error">{state.error}</Text> : null}
      <Button variant="contained" disabled={state.busy} onClick={download}>Download again</Button>{' '}
      <Button as="a" href={url} variant="outlined">Open the download link</Button>
    </Box>
  );
};

export default InvoicePdf;
