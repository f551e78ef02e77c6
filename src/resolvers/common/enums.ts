import { registerEnumType } from 'type-graphql';
import {
  LEVELS,
  OFFICER_STATUSES,
  OPERATION_STATUSES,
  RELEASABILITY_MODES,
  ROLES,
  SHARE_LEVELS,
  VISIBILITIES,
} from '../../policy/levels';
import { ACCESS_ACTIONS } from '../../graph/audit';
import { DOCUMENT_STATUSES, SUBJECT_KINDS } from '../../graph/records';

/** GraphQL enums built from the one list of each enumeration. */
export function enumOf<T extends string>(values: readonly T[], name: string, description: string): Record<T, T> {
  const object = Object.fromEntries(values.map((value) => [value, value])) as Record<T, T>;
  registerEnumType(object, { name, description });
  return object;
}

export const LevelEnum = enumOf(LEVELS, 'Level', 'Classification, lowest first.');
export const ShareLevelEnum = enumOf(SHARE_LEVELS, 'ShareLevel', 'A level up to which a country shares; NONE shares nothing.');
export const RoleEnum = enumOf(ROLES, 'Role', 'What an officer does in the network.');
export const OfficerStatusEnum = enumOf(OFFICER_STATUSES, 'OfficerStatus', 'Nomination lifecycle of an officer.');
export const OperationStatusEnum = enumOf(OPERATION_STATUSES, 'OperationStatus', 'Lifecycle of a joint operation.');
export const VisibilityEnum = enumOf(VISIBILITIES, 'Visibility', 'Who sees that an operation exists.');
export const ReleasabilityModeEnum = enumOf(RELEASABILITY_MODES, 'ReleasabilityMode', 'NETWORK: no extra limit; ALLOW: only the listed countries; DENY: all but the listed countries.');
export const SubjectKindEnum = enumOf(SUBJECT_KINDS, 'SubjectKind', 'Kinds of subjects of intelligence.');
export const DocumentStatusEnum = enumOf(DOCUMENT_STATUSES, 'DocumentStatus', 'Status of a travel document.');
export const AccessActionEnum = enumOf(ACCESS_ACTIONS, 'AccessAction', 'What an audited access did.');
