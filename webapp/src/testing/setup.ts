// Jest: the DOM matchers of Testing Library (toBeInTheDocument, toHaveFocus…).
import '@testing-library/jest-dom';
