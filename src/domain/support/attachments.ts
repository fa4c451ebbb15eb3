import { createHash, randomBytes } from 'node:crypto';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** What a customer may attach to a ticket: a handful of files, each small enough to mail around. */
export const ATTACHMENT_LIMITS = { maxFiles: 5, maxFileBytes: 5 * 1024 * 1024 } as const;

/** A file as it arrived: the name the uploader gave, its bytes (empty when it was too large to keep), its real size. */
export interface IncomingFile {
  fileName: string;
  data: Buffer;
  size: number;
}

export interface AcceptedFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

const startsWith = (b: Buffer, ...bytes: number[]) => b.length >= bytes.length && bytes.every((x, i) => b[i] === x);
const ascii = (b: Buffer, s: string) => b.subarray(0, s.length).toString('latin1') === s;

/**
 * Plain text: valid UTF-8 with no control characters beyond the ones logs and editors write (tab, newlines,
 * form feed, escape for terminal colours). An executable renamed to .txt fails here.
 */
function looksLikeText(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return false;
  }
  for (const byte of b) if ((byte < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1b].includes(byte)) || byte === 0x7f) return false;
  return true;
}

/**
 * The allowed kinds, by extension: the content type they are stored and served with, and how their first bytes
 * look. A file must pass both: the extension says what the customer meant, the bytes say what it is.
 */
const KINDS: Record<string, { contentType: string; label: string; sniff: (b: Buffer) => boolean }> = {
  jpg: { contentType: 'image/jpeg', label: 'JPEG image', sniff: (b) => startsWith(b, 0xff, 0xd8, 0xff) },
  png: { contentType: 'image/png', label: 'PNG image', sniff: (b) => startsWith(b, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) },
  gif: { contentType: 'image/gif', label: 'GIF image', sniff: (b) => ascii(b, 'GIF87a') || ascii(b, 'GIF89a') },
  pdf: { contentType: 'application/pdf', label: 'PDF document', sniff: (b) => ascii(b, '%PDF-') },
  txt: { contentType: 'text/plain', label: 'text file', sniff: looksLikeText },
  log: { contentType: 'text/plain', label: 'text file', sniff: looksLikeText },
  // An empty archive starts with the end-of-central-directory record; spanned archives are refused.
  zip: { contentType: 'application/zip', label: 'ZIP archive', sniff: (b) => startsWith(b, 0x50, 0x4b, 0x03, 0x04) || startsWith(b, 0x50, 0x4b, 0x05, 0x06) },
};
const ALIASES: Record<string, string> = { jpeg: 'jpg' };

export const ALLOWED_EXTENSIONS = ['jpg', 'png', 'gif', 'pdf', 'txt', 'log', 'zip'];
/** The only content types an attachment is ever served with; anything else goes out as application/octet-stream. */
export const SERVABLE_CONTENT_TYPES = new Set(Object.values(KINDS).map((k) => k.contentType));

/** The uploader's name without any path, control characters or excess length; never used to build a path. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().replace(/^\.+/, '');
  if (clean.length > 200) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, 200 - ext.length) + ext;
  }
  return clean;
}

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * Checks the files of one message: count, size, extension and content. Returns the accepted files, or the reason
 * the upload is refused (the first file at fault) — a refused upload saves nothing at all.
 */
export function checkAttachments(files: IncomingFile[]): { ok: true; files: AcceptedFile[] } | { ok: false; message: string } {
  if (files.length > ATTACHMENT_LIMITS.maxFiles) return { ok: false, message: `Attach at most ${ATTACHMENT_LIMITS.maxFiles} files to one message.` };
  const accepted: AcceptedFile[] = [];
  for (const f of files) {
    const fileName = cleanFileName(f.fileName);
    const shown = fileName || 'A file';
    if (f.size > ATTACHMENT_LIMITS.maxFileBytes || f.data.length > ATTACHMENT_LIMITS.maxFileBytes) {
      return { ok: false, message: `${shown} is larger than ${MB(ATTACHMENT_LIMITS.maxFileBytes)}; each file may be at most ${MB(ATTACHMENT_LIMITS.maxFileBytes)}.` };
    }
    const raw = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase() : '';
    const ext = ALIASES[raw] ?? raw;
    const kind = KINDS[ext];
    if (!kind) return { ok: false, message: `${shown} is not an allowed type; attach ${ALLOWED_EXTENSIONS.join(', ')} files only.` };
    if (f.data.length === 0) return { ok: false, message: `${shown} is empty.` };
    if (!kind.sniff(f.data)) return { ok: false, message: `${shown} does not contain what its name says (a ${kind.label}); it was not accepted.` };
    accepted.push({ fileName, contentType: kind.contentType, data: f.data });
  }
  return { ok: true, files: accepted };
}

/**
 * Attachment files under STORAGE_DIR (outside any served directory), each under a random name with no extension;
 * the database keeps the path relative to the storage root, so the root can move.
 */
export class AttachmentStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async put(data: Buffer): Promise<{ storagePath: string; sha256: string }> {
    const name = randomBytes(16).toString('hex');
    const storagePath = `tickets/${name.slice(0, 2)}/${name}`;
    const path = this.pathOf(storagePath);
    await mkdir(dirname(path), { recursive: true, mode: 0o750 });
    await writeFile(path, data, { flag: 'wx', mode: 0o640 });
    return { storagePath, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /** Removes files written for a message that was then not saved; a file already gone is fine. */
  async remove(storagePaths: string[]): Promise<void> {
    await Promise.all(storagePaths.map((p) => unlink(this.pathOf(p)).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)))));
  }

  /** The file on disk, or null when it is missing; a stored path that points outside the root is refused outright. */
  async locate(storagePath: string): Promise<{ path: string; size: number } | null> {
    const path = this.pathOf(storagePath);
    try {
      const s = await stat(path);
      return s.isFile() ? { path, size: s.size } : null;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  private pathOf(storagePath: string): string {
    const path = resolve(this.root, storagePath);
    const rel = relative(this.root, path);
    if (!rel || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw new Error(`attachment path outside the storage directory: ${storagePath}`);
    return path;
  }
}
