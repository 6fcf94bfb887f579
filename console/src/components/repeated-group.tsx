import { type ReactNode, useEffect, useRef } from "react";
import { FieldErrors } from "../components.tsx";

let lastUid = 0;
/**
 * A key for an item of a list being edited: its inputs stay in place (and keep the focus) while
 * items before it are added, removed or moved, which an index or an editable id would not do.
 */
export const newUid = () => ++lastUid;

/** Whatever a repeated group holds: anything with a key of its own. */
export interface Keyed {
  uid: number;
}

/** The labels of an item's buttons name the item ("Move question role up"), so each is unique on the page. */
interface ItemLabels<Item> {
  remove: (item: Item, index: number) => string;
  /** Given, the items can be reordered. */
  moveUp?: (item: Item, index: number) => string;
  moveDown?: (item: Item, index: number) => string;
}

interface RepeatedGroupProps<Item extends Keyed> {
  items: Item[];
  onChange: (items: Item[]) => void;
  /** The legend of an item's fieldset ("Question 2 of the form"). */
  legend: (item: Item, index: number) => string;
  /** An item's own fields; `update` merges a change into it. */
  children: (item: Item, index: number, update: (change: Partial<Item>) => void) => ReactNode;
  /** A new item for the end of the list (at `index`). */
  create: (index: number) => Item;
  addLabel: string;
  labels: ItemLabels<Item>;
  /** Fewer items than this cannot be left: their remove buttons are not shown. */
  minItems?: number;
  maxItems?: number;
  /** Problems of the list as a whole (`sessions`, `form.questions`), above its items. */
  errors?: string[];
  errorsId: string;
  /** The class of each item's fieldset (its grid). */
  itemClassName?: string;
  /** More buttons of an item, after its own (cancel a session). */
  itemActions?: (item: Item, index: number) => ReactNode;
  /** Shown under an item's fields, before its buttons (a running start time). */
  itemFooter?: (item: Item, index: number) => ReactNode;
}

type Focus = { uid: number; action: "up" | "down" | "first-input" } | { action: "add" };

/**
 * A list of like items edited in place: each item a fieldset with its fields and its buttons
 * (move up, move down, remove), and an "add" button after the list. The focus follows what the
 * keyboard did: a moved item's button keeps it (or, at an end of the list, its other move button),
 * an added item's first field takes it, and after a removal the "add" button has it, so that the
 * focus is never dropped on the page's body.
 */
export function RepeatedGroup<Item extends Keyed>({
  items,
  onChange,
  legend,
  children,
  create,
  addLabel,
  labels,
  minItems = 0,
  maxItems = Number.POSITIVE_INFINITY,
  errors,
  errorsId,
  itemClassName = "grid-3",
  itemActions,
  itemFooter,
}: RepeatedGroupProps<Item>) {
  const container = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<Focus | undefined>(undefined);

  useEffect(() => {
    const focus = pendingFocus.current;
    const root = container.current;
    if (!focus || !root) return;
    pendingFocus.current = undefined;
    if (focus.action === "add") {
      root.querySelector<HTMLElement>("[data-action=add]")?.focus();
      return;
    }
    const item = root.querySelector<HTMLElement>(`[data-uid="${focus.uid}"]`);
    if (focus.action === "first-input") {
      item?.querySelector<HTMLElement>("input, select, textarea")?.focus();
      return;
    }
    const other = focus.action === "up" ? "down" : "up";
    const button =
      item?.querySelector<HTMLButtonElement>(`[data-action=${focus.action}]:not(:disabled)`) ??
      item?.querySelector<HTMLButtonElement>(`[data-action=${other}]`);
    button?.focus();
  });

  const change = (next: Item[], focus: Focus) => {
    pendingFocus.current = focus;
    onChange(next);
  };
  const move = (index: number, by: -1 | 1) => {
    const next = [...items];
    const [item] = next.splice(index, 1);
    if (!item) return;
    next.splice(index + by, 0, item);
    change(next, { uid: item.uid, action: by < 0 ? "up" : "down" });
  };
  const update = (index: number, patch: Partial<Item>) =>
    onChange(items.map((item, at) => (at === index ? { ...item, ...patch } : item)));

  return (
    <div ref={container} className="stack">
      <FieldErrors id={errorsId} messages={errors} />
      {items.map((item, index) => (
        <fieldset key={item.uid} data-uid={item.uid} className={itemClassName}>
          <legend>{legend(item, index)}</legend>
          {children(item, index, (patch) => update(index, patch))}
          {itemFooter?.(item, index)}
          <div className="actions wide">
            {labels.moveUp && (
              <button type="button" data-action="up" disabled={index === 0} onClick={() => move(index, -1)}>
                {labels.moveUp(item, index)}
              </button>
            )}
            {labels.moveDown && (
              <button
                type="button"
                data-action="down"
                disabled={index === items.length - 1}
                onClick={() => move(index, 1)}
              >
                {labels.moveDown(item, index)}
              </button>
            )}
            {items.length > minItems && (
              <button
                type="button"
                onClick={() =>
                  change(
                    items.filter((_, at) => at !== index),
                    { action: "add" },
                  )
                }
              >
                {labels.remove(item, index)}
              </button>
            )}
            {itemActions?.(item, index)}
          </div>
        </fieldset>
      ))}
      {items.length < maxItems && (
        <div>
          <button
            type="button"
            data-action="add"
            onClick={() => {
              const item = create(items.length);
              change([...items, item], { uid: item.uid, action: "first-input" });
            }}
          >
            {addLabel}
          </button>
        </div>
      )}
    </div>
  );
}
