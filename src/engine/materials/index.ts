export * from './itu.ts';
export * from './permittivity.ts';
export * from './radioMaterial.ts';
