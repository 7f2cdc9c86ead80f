import { Type } from '@fastify/type-provider-typebox';

// Every body schema lists its fields with additionalProperties: false. A request with anything else
// (role, id, created_by…) is refused with 400 naming the field, so mass assignment is impossible.
const Role = Type.Union([Type.Literal('admin'), Type.Literal('editor'), Type.Literal('viewer')]);
const ScopeT = Type.Union([Type.Literal('ingest'), Type.Literal('read'), Type.Literal('admin')]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Password = Type.String({ minLength: 12, maxLength: 1024, description: 'at least 12 characters' });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 128 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

export const PasswordChange = Type.Object(
  { current_password: Type.String({ minLength: 1, maxLength: 1024 }), new_password: Password },
  { additionalProperties: false },
);

export const Me = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  name: Type.String(),
  role: Type.Optional(Role),
  scopes: Type.Optional(Type.Array(Type.String())),
});

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  created_at: Type.String(),
  created_by: NullableString,
  last_login_at: NullableString,
});

export const CreateUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' }),
    password: Password,
    role: Role,
  },
  { additionalProperties: false },
);

export const PatchUser = Type.Object(
  { role: Type.Optional(Role), password: Type.Optional(Password), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'visible start of the key, to tell keys apart' }),
  scopes: Type.Array(Type.String()),
  created_at: Type.String(),
  created_by: NullableString,
  last_used_at: NullableString,
  revoked_at: NullableString,
});

export const CreatedKey = Type.Object({ ...ApiKey.properties, key: Type.String({ description: 'the key itself: shown this once only' }) });

export const CreateKey = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(ScopeT, { minItems: 1, maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
);
