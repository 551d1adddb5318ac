export * from './fresnel.ts';
export * from './itu.ts';
export * from './permittivity.ts';
export * from './radioMaterial.ts';
export * from './slab.ts';
