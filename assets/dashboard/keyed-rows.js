// Keeps a list of rows in step with a poll's items without drawing them all again: a pool of
// thousands of buckets polled each second would otherwise rebuild thousands of rows (and lose the
// keyboard's place) when one of them changed.
import { ago } from './common.js';

const drawnSignature = Symbol('drawn signature');

/**
 * Brings the children of `parent` to one node per item, in the items' order: a node whose item
 * shows the same as last time (`signature`) stays the very same node; a changed one is replaced
 * by `draw(item)` where it stood; new ones are inserted, and those of items gone are removed.
 * Each node carries its item's `key` in `data-key`. Answers the nodes, in the items' order.
 */
export function syncRows(parent, items, { key, signature, draw }) {
  // How many nodes each key keeps (a load balancer's chain may hold the same bucket twice).
  const wanted = new Map();
  for (const item of items) wanted.set(key(item), (wanted.get(key(item)) ?? 0) + 1);
  const drawn = new Map();
  for (const node of [...parent.children]) {
    const same = drawn.get(node.dataset.key) ?? [];
    // The nodes of items gone leave first: left in place, they would push every later node to move.
    if (same.length >= (wanted.get(node.dataset.key) ?? 0)) node.remove();
    else drawn.set(node.dataset.key, same.concat(node));
  }
  const drawNew = (item, itemKey, shown) => {
    const fresh = draw(item);
    fresh.dataset.key = itemKey;
    fresh[drawnSignature] = shown;
    return fresh;
  };
  const placed = [];
  let cursor = parent.firstElementChild;
  for (const item of items) {
    const itemKey = key(item);
    const shown = signature(item);
    let node = drawn.get(itemKey)?.shift();
    if (node !== undefined && node[drawnSignature] !== shown) {
      const fresh = drawNew(item, itemKey, shown);
      if (node === cursor) cursor = fresh;
      node.replaceWith(fresh);
      node = fresh;
    }
    if (node === undefined) {
      node = drawNew(item, itemKey, shown);
      parent.insertBefore(node, cursor);
    } else if (node === cursor) cursor = cursor.nextElementSibling;
    // Moved only when out of place: moving a node that has the keyboard takes the keyboard away.
    else parent.insertBefore(node, cursor);
    placed.push(node);
  }
  return placed;
}

/**
 * What a bucket's row shows, as a signature for syncRows: the fields the rows and their buttons
 * read, "last used" as the page words it, and not the seconds left of a rest (the Overview sets its
 * countdown from them in place), so a row unchanged but for the passing time is not drawn again.
 */
export function bucketSignature(bucket) {
  return JSON.stringify([
    bucket.key,
    bucket.provider,
    bucket.bucket,
    bucket.paused,
    bucket.state,
    bucket.reason,
    bucket.availableAt,
    bucket.requests,
    bucket.successRate,
    bucket.inputTokens,
    bucket.outputTokens,
    ago(bucket.lastUsedSecondsAgo),
  ]);
}
