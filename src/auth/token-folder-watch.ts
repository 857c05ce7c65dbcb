import { type FSWatcher, watch } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidName } from '../core/names.js';
import { providerNames } from '../core/provider-names.js';
import type { ProviderName } from '../core/types.js';

export interface TokenFolderWatchOptions {
  /** `SWITCHYARD_HOME/oauth`, holding one folder per provider. */
  oauth: string;
  /** A bucket's file appeared, changed or went away (a login, an import, another process's refresh). */
  onChange: (provider: ProviderName, bucket: string) => void;
  /**
   * The fallback poll: folders are compared by their own change time this often, for file systems where
   * fs.watch says nothing (network mounts, some containers). Default 1000 ms.
   */
  pollMs?: number;
}

export interface TokenFolderWatch {
  close(): void;
}

/**
 * Tells a running server at once that a token file changed, so that a login the CLI stored
 * (`auth <provider> login` or `import`) takes effect within a second rather than at the next
 * lazy re-read. fs.watch gives the prompt news; a poll of the folders' change times is the
 * fallback. Files are compared by inode, size and times, never read here.
 */
export function watchTokenFolders(options: TokenFolderWatchOptions): TokenFolderWatch {
  const folders = new FolderWatch(options);
  folders.start();
  return folders;
}

class FolderWatch implements TokenFolderWatch {
  /** `provider/bucket` -> what the file looked like at the last scan. */
  private readonly files = new Map<string, string>();
  /** provider -> its folder's own signature at the last scan (a rename into it changes it). */
  private readonly folders = new Map<ProviderName, string>();
  private readonly watchers = new Map<ProviderName | 'oauth', FSWatcher>();
  private readonly scanning = new Map<ProviderName, Promise<void>>();
  private readonly again = new Set<ProviderName>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: TokenFolderWatchOptions) {}

  start(): void {
    this.attachAll();
    // What is there now is only learnt, in the background: a large pool must not delay start-up.
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 1_000);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  /** Watches the oauth folder (for provider folders that appear) and every provider folder there is. */
  private attachAll(): void {
    this.attach('oauth', this.options.oauth, (name) => {
      if (name !== null && providerNames.includes(name as ProviderName)) this.changed(name as ProviderName);
    });
    for (const provider of providerNames) {
      this.attach(provider, join(this.options.oauth, provider), (file) => this.changed(provider, file));
    }
  }

  private attach(name: ProviderName | 'oauth', path: string, onEvent: (file: string | null) => void): void {
    if (this.closed || this.watchers.has(name)) return;
    try {
      const watcher = watch(path, { persistent: false }, (_event, file) =>
        onEvent(file === null ? null : String(file)),
      );
      // A folder removed or replaced ends its watch; the poll attaches again when it is back.
      watcher.on('error', () => {
        watcher.close();
        if (this.watchers.get(name) === watcher) this.watchers.delete(name);
      });
      this.watchers.set(name, watcher);
    } catch {
      // Missing for now, or no fs.watch here: the poll covers it.
    }
  }

  /** News from fs.watch: the file it names is reported at once; without a name, the folder is compared. */
  private changed(provider: ProviderName, file: string | null = null): void {
    if (this.closed) return;
    this.attach(provider, join(this.options.oauth, provider), (name) => this.changed(provider, name));
    const bucket = file?.endsWith('.json') ? file.slice(0, -'.json'.length) : undefined;
    if (bucket !== undefined && isValidName(bucket)) this.options.onChange(provider, bucket);
    else if (file === null) void this.scan(provider);
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    this.attachAll();
    for (const provider of providerNames) {
      const folder = await signatureOf(join(this.options.oauth, provider));
      if (folder === this.folders.get(provider)) continue;
      // The folder may be a new one (removed and made again): watch what is there now.
      this.watchers.get(provider)?.close();
      this.watchers.delete(provider);
      this.attach(provider, join(this.options.oauth, provider), (file) => this.changed(provider, file));
      await this.scan(provider);
    }
  }

  /** One scan per provider at a time; news arriving meanwhile makes it run once more. */
  private scan(provider: ProviderName): Promise<void> {
    const running = this.scanning.get(provider);
    if (running) {
      this.again.add(provider);
      return running;
    }
    const run = (async () => {
      do {
        this.again.delete(provider);
        await this.compare(provider);
      } while (this.again.has(provider) && !this.closed);
    })().finally(() => this.scanning.delete(provider));
    this.scanning.set(provider, run);
    return run;
  }

  /** Compares a provider's files with the last scan; the first scan of a folder only learns them. */
  private async compare(provider: ProviderName): Promise<void> {
    const folder = join(this.options.oauth, provider);
    const report = this.folders.has(provider);
    this.folders.set(provider, await signatureOf(folder));
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      names = [];
    }
    const seen = new Set<string>();
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const bucket = name.slice(0, -'.json'.length);
      if (!isValidName(bucket)) continue;
      const key = `${provider}/${bucket}`;
      seen.add(key);
      const signature = await signatureOf(join(folder, name));
      if (this.files.get(key) === signature) continue;
      this.files.set(key, signature);
      if (report && !this.closed) this.options.onChange(provider, bucket);
    }
    for (const key of [...this.files.keys()]) {
      if (!key.startsWith(`${provider}/`) || seen.has(key)) continue;
      this.files.delete(key);
      if (report && !this.closed) this.options.onChange(provider, key.slice(provider.length + 1));
    }
  }
}

/** What a path looks like without reading it; a missing or unreadable one has its own signature. */
async function signatureOf(path: string): Promise<string> {
  try {
    const info = await lstat(path, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch (error) {
    return `absent:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}
