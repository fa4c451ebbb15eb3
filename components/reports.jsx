import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { Box, H2, H5, Text, Button, Label, MessageBox, Table, TableHead, TableBody, TableRow, TableCell } from '@adminjs/design-system';

const api = new ApiClient();
const PAGE = 'Reports';

const decimal = (cents, exponent = 2) => {
  const neg = cents < 0;
  const s = String(Math.abs(cents)).padStart(exponent + 1, '0');
  const whole = (exponent ? s.slice(0, -exponent) : s).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${whole}${exponent ? `.${s.slice(-exponent)}` : ''}`;
};
const duration = (seconds) => {
  if (seconds === null || seconds === undefined) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h} h ${m} min` : m ? `${m} min ${seconds % 60} s` : `${seconds} s`;
};
const show = (col, row) => {
  const v = row[col.key];
  if (v === null || v === undefined) return '—';
  if (col.kind === 'money') return decimal(Number(v), row.exponent ?? 2);
  if (col.kind === 'seconds') return duration(Number(v));
  return String(v);
};

const today = () => new Date().toISOString().slice(0, 10);
const monthAgo = () => {
  const d = new Date();
  d.setUTCDate(1);
  return d.toISOString().slice(0, 10);
};

const FILTER_LABELS = { gateway: 'Gateway', type: 'Type', status: 'Status', currency: 'Currency', clientId: 'Client id' };
const inputStyle = { padding: '6px 8px', border: '1px solid #c0c0ca', borderRadius: 4, marginRight: 12 };

/** Reporting → Reports: pick a report and a date range, see the table, download the same report as CSV. */
const Reports = () => {
  const [available, setAvailable] = useState(null);
  const [form, setForm] = useState({ report: '', from: monthAgo(), to: today(), period: 'day' });
  const [filters, setFilters] = useState({});
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.getPage({ pageName: PAGE }).then((res) => {
      setAvailable(res.data.reports || []);
      if (res.data.reports && res.data.reports.length) setForm((f) => ({ ...f, report: res.data.reports[0].id }));
    });
  }, []);

  if (!available) return <Box p="xl"><Text>Loading…</Text></Box>;
  if (!available.length) return <Box p="xl"><MessageBox variant="info" message="Your role does not include any report. Reports follow the screens you may view (Transactions, Invoices, Clients, Services, Support tickets)." /></Box>;

  const current = available.find((r) => r.id === form.report) || available[0];
  const params = { report: current.id, from: form.from, to: form.to, ...(current.byPeriod ? { period: form.period } : {}), ...Object.fromEntries(Object.entries(filters).filter(([k, v]) => v && current.filters.includes(k))) };
  const { report: _omit, ...csvParams } = params;
  const csvHref = `${current.csvUrl}?${new URLSearchParams(csvParams).toString()}`;

  const run = () => {
    setBusy(true);
    setError(null);
    api.getPage({ pageName: PAGE, params }).then((res) => {
      setBusy(false);
      if (res.data.error) {
        setError(res.data.error);
        setResult(null);
      } else setResult(res.data.report);
    }, () => {
      setBusy(false);
      setError('The report could not be loaded. Try again, or narrow the range.');
    });
  };

  return (
    <Box p="xl">
      <H2>Reports</H2>
      <Box variant="white" p="lg" mb="lg" flex flexWrap="wrap" alignItems="flex-end">
        <Box mr="lg" mb="sm">
          <Label>Report</Label>
          <select style={inputStyle} value={current.id} onChange={(e) => { setForm({ ...form, report: e.target.value }); setResult(null); }}>
            {available.map((r) => <option key={r.id} value={r.id}>{r.title}</option>)}
          </select>
        </Box>
        <Box mr="lg" mb="sm">
          <Label>From</Label>
          <input style={inputStyle} type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </Box>
        <Box mr="lg" mb="sm">
          <Label>To</Label>
          <input style={inputStyle} type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </Box>
        {current.byPeriod ? (
          <Box mr="lg" mb="sm">
            <Label>By</Label>
            <select style={inputStyle} value={form.period} onChange={(e) => setForm({ ...form, period: e.target.value })}>
              <option value="day">Day</option>
              <option value="month">Month</option>
            </select>
          </Box>
        ) : null}
        {current.filters.map((f) => (
          <Box mr="lg" mb="sm" key={f}>
            <Label>{FILTER_LABELS[f] || f}</Label>
            <input style={{ ...inputStyle, width: 110 }} value={filters[f] || ''} onChange={(e) => setFilters({ ...filters, [f]: e.target.value })} />
          </Box>
        ))}
        <Box mb="sm">
          <Button variant="primary" mr="default" onClick={run} disabled={busy}>{busy ? 'Running…' : 'Run report'}</Button>
          <a href={csvHref} download style={{ marginLeft: 12 }}>Download CSV</a>
        </Box>
      </Box>
      {error ? <MessageBox mb="lg" variant="danger" message={error} /> : null}
      {result ? (
        <Box variant="white" p="lg">
          {result.note ? <Text mb="lg" variant="sm">{result.note}</Text> : null}
          {result.summary ? (
            <Box flex flexWrap="wrap" mb="lg">
              {result.summary.map((s) => <Box key={s.label} mr="xl"><H5>{s.label}</H5><Text>{String(s.value)}</Text></Box>)}
            </Box>
          ) : null}
          {result.rowCount > result.rows.length ? <MessageBox mb="lg" variant="info" message={`Showing the first ${result.rows.length} of ${result.rowCount} rows; the CSV has them all.`} /> : null}
          <Table>
            <TableHead>
              <TableRow>{result.columns.map((c) => <TableCell key={c.key}>{c.label}</TableCell>)}</TableRow>
            </TableHead>
            <TableBody>
              {result.rows.length ? result.rows.map((r, i) => (
                <TableRow key={i}>{result.columns.map((c) => <TableCell key={c.key}>{show(c, r)}</TableCell>)}</TableRow>
              )) : <TableRow><TableCell colSpan={result.columns.length}>Nothing in this range.</TableCell></TableRow>}
              {result.totals.map((r, i) => (
                <TableRow key={`t${i}`}>{result.columns.map((c) => <TableCell key={c.key}><strong>{show(c, r)}</strong></TableCell>)}</TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ) : null}
    </Box>
  );
};

export default Reports;
