// Every compose check, one file each. test/unit/compose-checks.test.ts checks this list matches the folder.
import type { ComposeCheck } from '../check';
import { BuildContextMissing } from './BuildContextMissing';
import { ContainerNameWithReplicas } from './ContainerNameWithReplicas';
import { DependencyCycle } from './DependencyCycle';
import { DependencyDisabledByProfiles } from './DependencyDisabledByProfiles';
import { DockerfileMissing } from './DockerfileMissing';
import { DuplicateContainerName } from './DuplicateContainerName';
import { DuplicateKey } from './DuplicateKey';
import { EnvFileMissing } from './EnvFileMissing';
import { EnvFileSyntax } from './EnvFileSyntax';
import { ExtendsFileMissing } from './ExtendsFileMissing';
import { IncludeCycle } from './IncludeCycle';
import { IncludeMissing } from './IncludeMissing';
import { InvalidDuration } from './InvalidDuration';
import { InvalidInterpolation } from './InvalidInterpolation';
import { InvalidPort } from './InvalidPort';
import { NetworkModeWithNetworks } from './NetworkModeWithNetworks';
import { NoImageOrBuild } from './NoImageOrBuild';
import { ObsoleteVersion } from './ObsoleteVersion';
import { PortConflict } from './PortConflict';
import { ResourcesGivenTwice } from './ResourcesGivenTwice';
import { ScaleAndReplicas } from './ScaleAndReplicas';
import { Schema } from './Schema';
import { SecretSource } from './SecretSource';
import { UndefinedConfig } from './UndefinedConfig';
import { UndefinedNetwork } from './UndefinedNetwork';
import { UndefinedSecret } from './UndefinedSecret';
import { UndefinedService } from './UndefinedService';
import { UndefinedVolume } from './UndefinedVolume';
import { UnknownBuildTarget } from './UnknownBuildTarget';
import { YamlSyntax } from './YamlSyntax';

export const COMPOSE_CHECKS: readonly ComposeCheck[] = [
  BuildContextMissing,
  ContainerNameWithReplicas,
  DependencyCycle,
  DependencyDisabledByProfiles,
  DockerfileMissing,
  DuplicateContainerName,
  DuplicateKey,
  EnvFileMissing,
  EnvFileSyntax,
  ExtendsFileMissing,
  IncludeCycle,
  IncludeMissing,
  InvalidDuration,
  InvalidInterpolation,
  InvalidPort,
  NetworkModeWithNetworks,
  NoImageOrBuild,
  ObsoleteVersion,
  PortConflict,
  ResourcesGivenTwice,
  ScaleAndReplicas,
  Schema,
  SecretSource,
  UndefinedConfig,
  UndefinedNetwork,
  UndefinedSecret,
  UndefinedService,
  UndefinedVolume,
  UnknownBuildTarget,
  YamlSyntax,
];
