import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ACCESS_KEY, AccessRequirement } from '@cbm/auth';

export interface RouteAccess {
  method: string;
  path: string;
  /** The handler's own declaration (the only one the guard reads). */
  access: AccessRequirement | undefined;
  /** A declaration on the controller class: not allowed, it would cover methods added later unseen. */
  controllerAccess: AccessRequirement | undefined;
}

/** Every route of every controller the app registered, with the access rule it declares. */
export function listRoutes(app: INestApplication, globalPrefix = 'api/v1', unprefixed = ['health', 'metrics']): RouteAccess[] {
  const reflector = new Reflector();
  const routes: RouteAccess[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const { metatype, instance } = wrapper;
      if (!metatype || !instance) continue;
      const controllerPath = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '').replace(/^\/|\/$/g, '');
      const prototype = Object.getPrototypeOf(instance);
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const handlerPath = Reflect.getMetadata(PATH_METADATA, handler);
        if (handlerPath === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const prefix = unprefixed.includes(controllerPath.split('/')[0]) ? '' : `/${globalPrefix}`;
        const path = `${prefix}/${[controllerPath, String(handlerPath).replace(/^\/|\/$/g, '')].filter(Boolean).join('/')}`;
        routes.push({
          method,
          path,
          access: reflector.get<AccessRequirement>(ACCESS_KEY, handler),
          controllerAccess: reflector.get<AccessRequirement>(ACCESS_KEY, metatype),
        });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

export function describeAccess(access: AccessRequirement | undefined): string {
  if (!access) return 'UNDECLARED';
  if (access.kind === 'public') return 'public';
  if (access.kind === 'authenticated') return access.allowDuringMfaEnrolment ? 'authenticated (also during MFA enrolment)' : 'authenticated';
  if (access.kind === 'anyPermission') return access.permissions.join(' | ');
  return access.permission;
}
