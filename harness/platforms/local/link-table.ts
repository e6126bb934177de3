// Which directed links are cut and how each is shaped. The proxies read it for every chunk,
// so a change applies to connections already open.

import type { Link, LinkShape } from '../../platform/platform.js';

export function linkKey(link: Link): string {
  return `${link.from}->${link.to}`;
}

export interface LinkChange {
  /** Links cut now that were not cut before. */
  newlyCut: Link[];
  /** Links cut before and not any more. */
  healed: Link[];
}

export class LinkTable {
  private readonly cutLinks = new Map<string, Link>();
  private readonly shapes = new Map<string, LinkShape>();

  constructor(private readonly nodes: readonly string[]) {}

  isCut(link: Link): boolean {
    return this.cutLinks.has(linkKey(link));
  }

  shape(link: Link): LinkShape | undefined {
    return this.shapes.get(linkKey(link));
  }

  /** Replaces the set of cut links; says which links changed. */
  replaceCuts(links: Link[]): LinkChange {
    links.forEach((link) => this.check(link));
    const next = new Map(links.map((link) => [linkKey(link), link]));
    const newlyCut = [...next].filter(([key]) => !this.cutLinks.has(key)).map(([, link]) => link);
    const healed = [...this.cutLinks].filter(([key]) => !next.has(key)).map(([, link]) => link);
    this.cutLinks.clear();
    next.forEach((link, key) => this.cutLinks.set(key, link));
    return { newlyCut, healed };
  }

  /** Replaces every shaping with `shape` on `links`. */
  replaceShapes(links: Link[], shape: LinkShape): void {
    links.forEach((link) => this.check(link));
    this.shapes.clear();
    links.forEach((link) => this.shapes.set(linkKey(link), shape));
  }

  /** Restores every link; returns the links that were cut. */
  healAll(): Link[] {
    this.shapes.clear();
    return this.replaceCuts([]).healed;
  }

  private check(link: Link): void {
    for (const node of [link.from, link.to]) {
      if (!this.nodes.includes(node)) {
        throw new Error(
          `local platform: link ${linkKey(link)} names unknown node "${node}"; ` +
            `the cluster's nodes are ${this.nodes.join(', ')}`,
        );
      }
    }
    if (link.from === link.to) throw new Error(`local platform: link ${linkKey(link)} joins a node to itself`);
  }
}
