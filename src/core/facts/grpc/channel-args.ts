// The C-core channel argument names that grpcio (Python) and grpc-js read from their options (and Grpc.Core
// would, through ChannelOption): one spelling for the tables that read them and the edit builders that write them.
export const CHANNEL_ARG = {
  serviceConfig: 'grpc.service_config',
  lbPolicyName: 'grpc.lb_policy_name',
  disableResolution: 'grpc.service_config_disable_resolution',
  maxConnectionAge: 'grpc.max_connection_age_ms',
  maxConnectionAgeGrace: 'grpc.max_connection_age_grace_ms',
} as const;
