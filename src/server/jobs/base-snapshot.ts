import { findModel } from "../../core/catalog/models.js";

/** The canonical snapshot behind a job's model (an `ft:` model trains on from its base family's snapshot). */
export function baseSnapshotOf(model: string): string {
  return findModel(model)?.snapshot ?? model;
}
