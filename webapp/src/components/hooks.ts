import {useEffect, useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';

import type {AppDispatch, State} from '../store/types';

export function useAppDispatch(): AppDispatch {
    return useDispatch();
}

export function useAppSelector<T>(selector: (state: State) => T): T {
    return useSelector(selector);
}

// useNow is the current time, updated every minute, so ages and "updated …
// ago" stay true while the sidebar is open.
export function useNow(intervalMs = 60_000): number {
    const [now, setNow] = useState(() => Date.now());
    useEffect(() => {
        const t = setInterval(() => {
            setNow(Date.now());
        }, intervalMs);
        return () => {
            clearInterval(t);
        };
    }, [intervalMs]);
    return now;
}
