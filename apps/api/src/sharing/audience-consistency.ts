import { DisclosureAudience, Tlp } from '@cbm/database';
import { FieldError } from '@cbm/common';

export interface SharedWith {
  tlp: Tlp;
  audience: DisclosureAudience;
  selectedStates: readonly string[];
}

/**
 * TLP 2.0 and the audience must agree, so that the audience is always the most restrictive of the
 * two (the visibility rule reads only the audience): TLP:CLEAR is for anyone (PUBLIC, and only it);
 * TLP:RED and TLP:AMBER+STRICT go to named recipients (SELECTED_STATES); GREEN and AMBER stay among
 * States (ALL_STATES or SELECTED_STATES). `knownStates`: which of the selected States exist.
 */
export function audienceProblems(shared: SharedWith, ownState: string, knownStates: readonly string[]): FieldError[] {
  const problems: FieldError[] = [];
  const { tlp, audience } = shared;
  if (audience === DisclosureAudience.PUBLIC && tlp !== Tlp.CLEAR) {
    problems.push({ field: 'audience', message: 'PUBLIC is allowed only with TLP:CLEAR' });
  }
  if (tlp === Tlp.CLEAR && audience !== DisclosureAudience.PUBLIC) {
    problems.push({ field: 'tlp', message: 'TLP:CLEAR may be seen by anyone: use the audience PUBLIC, or a narrower TLP' });
  }
  if ((tlp === Tlp.RED || tlp === Tlp.AMBER_STRICT) && audience !== DisclosureAudience.SELECTED_STATES) {
    problems.push({ field: 'audience', message: `TLP:${tlp === Tlp.RED ? 'RED' : 'AMBER+STRICT'} requires SELECTED_STATES` });
  }
  if (audience === DisclosureAudience.SELECTED_STATES) {
    if (shared.selectedStates.length === 0) problems.push({ field: 'selectedStates', message: 'must name at least one State' });
    const unknown = shared.selectedStates.filter((code) => !knownStates.includes(code));
    if (unknown.length > 0) problems.push({ field: 'selectedStates', message: `are not known States: ${unknown.join(', ')}` });
    if (shared.selectedStates.includes(ownState)) problems.push({ field: 'selectedStates', message: 'need not include your own State' });
  } else if (shared.selectedStates.length > 0) {
    problems.push({ field: 'selectedStates', message: 'apply only to the audience SELECTED_STATES' });
  }
  return problems;
}
